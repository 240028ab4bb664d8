/* SPDX-License-Identifier: MIT */
/* CA enrolment for UEFI HTTPS Boot: EDK2's HttpBootDxe/TlsDxe read the
 * trusted CAs from the TlsCaCertificate variable as an EFI_SIGNATURE_LIST
 * (UEFI 2.10 §32.4.1, MdePkg/Include/Guid/ImageAuthentication.h), and
 * OVMF fills that variable from fw_cfg "etc/edk2/https/cacerts"
 * (OvmfPkg/Library/TlsAuthConfigLib). `pxe-httpd --tls-efi-ca PEM` writes
 * that list. Pure: bytes in, bytes out. */
#ifndef HTTP_EFI_CA_H
#define HTTP_EFI_CA_H

#include <stddef.h>
#include <stdint.h>

/* EFI_SIGNATURE_LIST header: SignatureType (GUID), SignatureListSize,
 * SignatureHeaderSize, SignatureSize (UINT32, little-endian). */
#define EFI_SIGLIST_HDR 28
/* EFI_SIGNATURE_DATA: SignatureOwner (GUID), then the DER certificate. */
#define EFI_SIGDATA_HDR 16

/* EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072, as stored (the
 * first three fields little-endian). */
extern const uint8_t efi_cert_x509_guid[16];

/* One list holding one X.509 certificate (DER) owned by owner (16 bytes,
 * stored form). Returns the list's length, or 0 when cap is too small or
 * der_len does not fit a UINT32 list. */
size_t efi_siglist_x509(const uint8_t *der, size_t der_len, const uint8_t owner[16], uint8_t *out,
			size_t cap);

#endif
