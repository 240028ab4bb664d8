/* SPDX-License-Identifier: MIT */
/* The EFI_SIGNATURE_LIST of a CA certificate (efi_ca.h). */
#include "efi_ca.h"

#include <string.h>

const uint8_t efi_cert_x509_guid[16] = {0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
					0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72};

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

size_t efi_siglist_x509(const uint8_t *der, size_t der_len, const uint8_t owner[16], uint8_t *out,
			size_t cap)
{
	size_t sig_size = EFI_SIGDATA_HDR + der_len;
	size_t total = EFI_SIGLIST_HDR + sig_size; /* SignatureHeaderSize 0 for X.509 */
	if (der_len == 0 || der_len > UINT32_MAX - EFI_SIGLIST_HDR - EFI_SIGDATA_HDR || total > cap)
		return 0;
	memcpy(out, efi_cert_x509_guid, 16);
	put_le32(out + 16, (uint32_t)total);
	put_le32(out + 20, 0);
	put_le32(out + 24, (uint32_t)sig_size);
	memcpy(out + EFI_SIGLIST_HDR, owner, 16);
	memcpy(out + EFI_SIGLIST_HDR + EFI_SIGDATA_HDR, der, der_len);
	return total;
}
