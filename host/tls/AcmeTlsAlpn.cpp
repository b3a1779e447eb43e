#include "tls/AcmeTlsAlpn.h"

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>

namespace rportd::tls {

namespace {

// id-pe-acmeIdentifier (RFC 8737 section 6.1); OpenSSL 3.0 has no NID for it.
const char* const kAcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";
// Authorization ::= OCTET STRING (SIZE (32)): tag 0x04, length 32, the digest.
constexpr size_t kDigestSize = 32;

struct AsnObjectFree {
    void operator()(ASN1_OBJECT* object) const { ASN1_OBJECT_free(object); }
};

}  // namespace

bool alpnExtensionOffers(const unsigned char* body, size_t size, std::string_view protocol) {
    if (body == nullptr || size < 2) return false;
    const size_t listSize = (static_cast<size_t>(body[0]) << 8) | body[1];
    if (listSize != size - 2) return false;
    size_t at = 2;
    while (at < size) {
        const size_t nameSize = body[at];
        ++at;
        if (nameSize == 0 || nameSize > size - at) return false;
        if (nameSize == protocol.size() && std::memcmp(body + at, protocol.data(), nameSize) == 0) return true;
        at += nameSize;
    }
    return false;
}

std::string acmeIdentifierProblem(const X509* leaf) {
    if (leaf == nullptr) return "no certificate";
    std::unique_ptr<ASN1_OBJECT, AsnObjectFree> oid(OBJ_txt2obj(kAcmeIdentifierOid, 1));
    if (!oid) return "cannot look for the acmeIdentifier extension";
    const int at = X509_get_ext_by_OBJ(leaf, oid.get(), -1);
    if (at < 0) return "the certificate carries no acmeIdentifier extension (RFC 8737)";
    if (X509_get_ext_by_OBJ(leaf, oid.get(), at) >= 0)
        return "the certificate carries the acmeIdentifier extension twice";
    X509_EXTENSION* extension = X509_get_ext(leaf, at);
    if (X509_EXTENSION_get_critical(extension) != 1) return "the acmeIdentifier extension is not critical";
    const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(extension);
    const unsigned char* der = ASN1_STRING_get0_data(value);
    if (ASN1_STRING_length(value) != static_cast<int>(kDigestSize + 2) || der[0] != V_ASN1_OCTET_STRING ||
        der[1] != kDigestSize)
        return "the acmeIdentifier extension does not hold a SHA-256 digest";
    return std::string();
}

}  // namespace rportd::tls
