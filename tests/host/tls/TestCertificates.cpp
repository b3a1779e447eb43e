#include "TestCertificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "tls/OpenSslHandles.h"

namespace rport::test::tls {

using rportd::tls::BioPtr;
using rportd::tls::EvpPkeyPtr;
using rportd::tls::X509Ptr;

namespace {

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

std::string drain(BIO* bio) {
    char* data = nullptr;
    long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(length));
}

EvpPkeyPtr readKey(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

X509Ptr readCertificate(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

void addExtension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    require(extension != nullptr, "extension");
    X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
}

void addAcmeIdentifier(X509* certificate, const std::string& digest, bool critical) {
    // extnValue is the DER of Authorization ::= OCTET STRING (SIZE (32)).
    std::string der = std::string("\x04", 1) + static_cast<char>(digest.size()) + digest;
    ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
    ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1);
    require(value != nullptr && oid != nullptr, "acmeIdentifier");
    ASN1_OCTET_STRING_set(value, reinterpret_cast<const unsigned char*>(der.data()), static_cast<int>(der.size()));
    X509_EXTENSION* extension = X509_EXTENSION_create_by_OBJ(nullptr, oid, critical ? 1 : 0, value);
    require(extension != nullptr, "acmeIdentifier extension");
    X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    ASN1_OBJECT_free(oid);
    ASN1_OCTET_STRING_free(value);
}

}  // namespace

IssuedCertificate issueCertificate(const CertificateSpec& spec, const IssuedCertificate* issuer) {
    EvpPkeyPtr key(spec.keyKind == KeyKind::EcdsaP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048));
    require(key != nullptr, "key generation");
    X509Ptr certificate(X509_new());
    X509_set_version(certificate.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), spec.serial);
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), spec.validFromSeconds);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), spec.validFromSeconds + spec.validForSeconds);
    X509_set_pubkey(certificate.get(), key.get());
    X509_NAME* subject = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(spec.commonName.c_str()), -1, -1, 0);

    X509Ptr issuerCertificate;
    EvpPkeyPtr issuerKey;
    if (issuer != nullptr) {
        issuerCertificate = readCertificate(issuer->certificatePem);
        issuerKey = readKey(issuer->keyPem);
        require(issuerCertificate && issuerKey, "issuer");
        X509_set_issuer_name(certificate.get(), X509_get_subject_name(issuerCertificate.get()));
    } else {
        X509_set_issuer_name(certificate.get(), subject);
    }
    X509* signer = issuerCertificate ? issuerCertificate.get() : certificate.get();

    std::string altNames;
    for (const std::string& name : spec.dnsNames) altNames += (altNames.empty() ? "DNS:" : ",DNS:") + name;
    for (const std::string& ip : spec.ipAddresses) altNames += (altNames.empty() ? "IP:" : ",IP:") + ip;
    if (!altNames.empty()) addExtension(certificate.get(), signer, NID_subject_alt_name, altNames);
    if (spec.certificateAuthority) {
        addExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        addExtension(certificate.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        addExtension(certificate.get(), signer, NID_ext_key_usage, "serverAuth");
    }
    if (!spec.acmeIdentifier.empty()) addAcmeIdentifier(certificate.get(), spec.acmeIdentifier, spec.acmeIdentifierCritical);
    require(X509_sign(certificate.get(), issuerKey ? issuerKey.get() : key.get(), EVP_sha256()) > 0, "signing");

    IssuedCertificate issued;
    BioPtr certificateOut(BIO_new(BIO_s_mem()));
    require(PEM_write_bio_X509(certificateOut.get(), certificate.get()) == 1, "certificate PEM");
    issued.certificatePem = drain(certificateOut.get());
    BioPtr keyOut(BIO_new(BIO_s_mem()));
    require(PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1, "key PEM");
    issued.keyPem = drain(keyOut.get());
    return issued;
}

IssuedCertificate acmeChallengeCertificate(const std::string& name, const std::string& digest, long serial) {
    CertificateSpec challenge;
    challenge.commonName = name;
    challenge.dnsNames = {name};
    challenge.serial = serial;
    challenge.acmeIdentifier = digest;
    return issueCertificate(challenge);
}

std::string encryptedKeyPem(const std::string& keyPem, const std::string& password) {
    EvpPkeyPtr key = readKey(keyPem);
    require(key != nullptr, "key to encrypt");
    BioPtr out(BIO_new(BIO_s_mem()));
    require(PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                          const_cast<char*>(password.c_str())) == 1,
            "encrypted key PEM");
    return drain(out.get());
}

namespace {

CertificateSpec spec(const std::string& commonName, long serial, std::vector<std::string> dnsNames,
                     std::vector<std::string> ipAddresses = {}) {
    CertificateSpec made;
    made.commonName = commonName;
    made.serial = serial;
    made.dnsNames = std::move(dnsNames);
    made.ipAddresses = std::move(ipAddresses);
    return made;
}

TestKit makeKit() {
    TestKit kit;
    kit.ecdsa = issueCertificate(spec("localhost", 0x1001, {"localhost", "api.example.com"}, {"127.0.0.1"}));
    kit.ecdsaRenewed = issueCertificate(spec("localhost", 0x1002, {"localhost", "api.example.com"}, {"127.0.0.1"}));
    CertificateSpec rsa = spec("rsa.example.com", 0x2001, {"localhost", "rsa.example.com"});
    rsa.keyKind = KeyKind::Rsa2048;
    kit.rsa = issueCertificate(rsa);
    CertificateSpec authority = spec("rportd Test CA", 0x3000, {});
    authority.certificateAuthority = true;
    authority.validForSeconds = 10 * 86400;
    kit.authority = issueCertificate(authority);
    kit.chained = issueCertificate(spec("chain.example.com", 0x3001, {"chain.example.com"}), &kit.authority);
    kit.wildcard = issueCertificate(spec("*.tunnels.example.com", 0x4001, {"*.tunnels.example.com"}));
    CertificateSpec expired = spec("expired.example.com", 0x5001, {"expired.example.com"});
    expired.validFromSeconds = -2 * 86400;
    expired.validForSeconds = 86400;
    kit.expired = issueCertificate(expired);
    return kit;
}

}  // namespace

const TestKit& testKit() {
    static const TestKit kit = makeKit();
    return kit;
}

}  // namespace rport::test::tls
