#include "CertificateInfo.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "Base64Url.h"
#include "OpenSsl.h"
#include "PrivateKey.h"
#include "TimeText.h"

namespace rport::plugins::acme {
namespace {

int64_t unixOf(const ASN1_TIME* t) {
    struct tm tm {};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        throw CertificateError("the certificate has an unreadable validity time");
    return static_cast<int64_t>(timegm(&tm));
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

X509Ptr firstCertificate(std::string_view pem) {
    Bio bio = readBio(pem);
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) throw CertificateError(opensslFailure("no PEM certificate"));
    return cert;
}

}  // namespace

bool CertificateInfo::coversName(const std::string& name) const {
    const std::string wanted = lower(name);
    for (const auto& n : dnsNames)
        if (lower(n) == wanted) return true;
    return false;
}

CertificateInfo inspectChain(const std::string& chainPem) {
    CertificateInfo info;
    X509Ptr leaf = firstCertificate(chainPem);
    info.notBefore = unixOf(X509_get0_notBefore(leaf.get()));
    info.notAfter = unixOf(X509_get0_notAfter(leaf.get()));

    const ASN1_INTEGER* serial = X509_get0_serialNumber(leaf.get());
    // The ARI id wants the INTEGER's content octets as DER has them (with
    // the leading 0x00 when the top bit is set): encode, then drop the tag
    // and the length.
    const int len = i2d_ASN1_INTEGER(serial, nullptr);
    if (len > 2) {
        std::string der(static_cast<size_t>(len), '\0');
        unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
        i2d_ASN1_INTEGER(serial, &p);
        size_t header = 2;
        const unsigned char first = static_cast<unsigned char>(der[1]);
        if (first & 0x80) header += first & 0x7F;  // long-form length
        if (header < der.size()) info.serialBytes = der.substr(header);
    }
    BigNum bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (bn) {
        char* hex = BN_bn2hex(bn.get());
        if (hex) {
            info.serialHex = hex;
            OPENSSL_free(hex);
        }
    }

    if (const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(leaf.get()))
        info.authorityKeyId.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(aki)),
                                   static_cast<size_t>(ASN1_STRING_length(aki)));

    GeneralNames names(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr)));
    if (names) {
        for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
            const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
            if (gn->type != GEN_DNS) continue;
            info.dnsNames.emplace_back(
                reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.dNSName)),
                static_cast<size_t>(ASN1_STRING_length(gn->d.dNSName)));
        }
    }

    Bio all = readBio(chainPem);
    while (X509Ptr c{PEM_read_bio_X509(all.get(), nullptr, nullptr, nullptr)}) ++info.chainLength;
    ERR_clear_error();  // the end of the text reads as an error
    return info;
}

std::string issuedValidityProblem(const CertificateInfo& info, int64_t nowUnix) {
    if (info.notAfter <= nowUnix)
        return "the certificate the CA sent has expired already (valid until " +
               utcText(info.notAfter) + "); check this server's clock";
    if (info.notBefore > nowUnix + kIssuedClockSkewSeconds)
        return "the certificate the CA sent is not valid before " + utcText(info.notBefore) +
               "; check this server's clock";
    return "";
}

bool keyMatchesLeaf(std::string_view chainPem, std::string_view keyPem) {
    try {
        X509Ptr leaf = firstCertificate(chainPem);
        const PrivateKey key = PrivateKey::fromPem(keyPem);
        const bool match = X509_check_private_key(leaf.get(), key.get()) == 1;
        ERR_clear_error();
        return match;
    } catch (const std::exception&) {
        ERR_clear_error();
        return false;
    }
}

std::string ariCertificateId(const CertificateInfo& info) {
    if (info.authorityKeyId.empty() || info.serialBytes.empty()) return "";
    return base64UrlEncode(info.authorityKeyId) + "." + base64UrlEncode(info.serialBytes);
}

}  // namespace rport::plugins::acme
