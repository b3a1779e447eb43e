#include "TlsAlpnCertificate.h"

#include <openssl/pem.h>
#include <openssl/rand.h>

#include "OpenSsl.h"
#include "PrivateKey.h"
#include "SubjectAltName.h"

namespace rport::plugins::acme {
namespace {

X509ExtensionPtr acmeIdentifier(const std::string& keyAuthorization) {
    const std::string digest = sha256(keyAuthorization);
    // extnValue holds a DER OCTET STRING that wraps the 32-byte digest.
    std::string der;
    der += char(0x04);
    der += char(digest.size());
    der += digest;
    OctetString value(ASN1_OCTET_STRING_new());
    Asn1Object oid(OBJ_txt2obj(kAcmeIdentifierOid, 1));
    if (!value || !oid ||
        ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(der.data()),
                              static_cast<int>(der.size())) != 1)
        throwOpenSsl("cannot build the acmeIdentifier extension");
    X509ExtensionPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 1, value.get()));
    if (!ext) throwOpenSsl("cannot build the acmeIdentifier extension");
    return ext;
}

}  // namespace

TlsAlpnCertificate makeTlsAlpnCertificate(const std::string& name,
                                          const std::string& keyAuthorization) {
    const PrivateKey key = PrivateKey::generate(KeyType::EcdsaP256);
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1)
        throwOpenSsl("cannot make the TLS-ALPN-01 certificate");

    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) throwOpenSsl("no random serial");
    serial[0] &= 0x7F;  // a positive INTEGER
    BigNum bn(BN_bin2bn(serial, sizeof serial, nullptr));
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())))
        throwOpenSsl("cannot set the serial");

    // Valid from a day ago (clocks differ) for a week: the challenge takes seconds.
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7L * 24 * 3600))
        throwOpenSsl("cannot set the validity");

    X509_NAME* subject = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(
            subject, "CN", MBSTRING_ASC,
            reinterpret_cast<const unsigned char*>("ACME TLS-ALPN-01 challenge"), -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert.get(), subject) != 1)
        throwOpenSsl("cannot set the subject");

    X509ExtensionPtr san = subjectAltNameDns(name);
    X509ExtensionPtr id = acmeIdentifier(keyAuthorization);
    if (X509_add_ext(cert.get(), san.get(), -1) != 1 || X509_add_ext(cert.get(), id.get(), -1) != 1)
        throwOpenSsl("cannot add the extensions");

    if (X509_set_pubkey(cert.get(), key.get()) != 1 ||
        X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        throwOpenSsl("cannot sign the TLS-ALPN-01 certificate");

    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1)
        throwOpenSsl("cannot write the certificate");
    return TlsAlpnCertificate{bioText(bio.get()), key.pem()};
}

}  // namespace rport::plugins::acme
