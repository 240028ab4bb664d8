/* SPDX-License-Identifier: MIT */
/* The EFI_SIGNATURE_LIST of --tls-efi-ca, byte by byte, against the
 * layout of EDK2's MdePkg/Include/Guid/ImageAuthentication.h (packed:
 * SignatureType GUID, SignatureListSize, SignatureHeaderSize,
 * SignatureSize as little-endian UINT32, then EFI_SIGNATURE_DATA: the
 * SignatureOwner GUID and the DER certificate). */
#include <string.h>

#include "efi_ca.h"
#include "unit.h"

START_TEST(test_layout)
{
	static const uint8_t der[300] = {0x30, 0x82, 0x01, 0x28}; /* a DER SEQUENCE head */
	static const uint8_t owner[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	uint8_t out[400];
	memset(out, 0xee, sizeof(out));
	size_t n = efi_siglist_x509(der, sizeof(der), owner, out, sizeof(out));
	ck_assert_uint_eq(n, 28 + 16 + 300);
	/* EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072 as EFI_GUID
	 * stores it: Data1..3 little-endian, Data4 as is */
	static const uint8_t x509[16] = {0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
					 0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72};
	ck_assert(!memcmp(out, x509, 16));
	/* SignatureListSize 344 = 0x158, SignatureHeaderSize 0, SignatureSize 316 = 0x13c */
	static const uint8_t sizes[12] = {0x58, 0x01, 0, 0, 0, 0, 0, 0, 0x3c, 0x01, 0, 0};
	ck_assert(!memcmp(out + 16, sizes, 12));
	ck_assert(!memcmp(out + 28, owner, 16));
	ck_assert(!memcmp(out + 44, der, sizeof(der)));
	ck_assert_uint_eq(out[344], 0xee); /* nothing written past the list */
}
END_TEST

START_TEST(test_too_small)
{
	static const uint8_t der[10] = {0x30};
	static const uint8_t owner[16] = {0};
	uint8_t out[53];
	ck_assert_uint_eq(efi_siglist_x509(der, sizeof(der), owner, out, sizeof(out)), 0);
	ck_assert_uint_eq(efi_siglist_x509(der, 0, owner, out, sizeof(out)), 0);
	uint8_t fits[54];
	ck_assert_uint_eq(efi_siglist_x509(der, sizeof(der), owner, fits, sizeof(fits)), 54);
}
END_TEST

UNIT_SUITE(http_efi_ca)
{
	Suite *s = suite_create("http_efi_ca");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_too_small);
	suite_add_tcase(s, tc);
	return s;
}
