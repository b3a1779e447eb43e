#include "tls/ServedCertificate.h"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "tls/OpenSslError.h"
#include "tls/ServerContext.h"

namespace rportd::tls {

namespace {

BioPtr memoryBio(std::string_view text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// PEM readers fail both at the end of the text and on a damaged block; only
// "no start line" means there was simply nothing more to read.
bool reachedEndOfPem() {
    unsigned long code = ERR_peek_last_error();
    bool atEnd = ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE;
    ERR_clear_error();
    return atEnd;
}

// Refuses to decrypt, remembering that a password was needed: the server
// has nobody to ask for one.
int refusePassword(char*, int, int, void* asked) {
    *static_cast<bool*>(asked) = true;
    return -1;
}

std::string utf8(const ASN1_STRING* text) {
    unsigned char* converted = nullptr;
    int length = ASN1_STRING_to_UTF8(&converted, text);
    if (length < 0) return std::string();
    std::string result(reinterpret_cast<char*>(converted), static_cast<size_t>(length));
    OPENSSL_free(converted);
    return result;
}

std::string commonName(const X509_NAME* name) {
    int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (at < 0) return std::string();
    return utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)));
}

std::string oneLine(const X509_NAME* name) {
    BioPtr out(BIO_new(BIO_s_mem()));
    if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) < 0) return std::string();
    char* data = nullptr;
    long length = BIO_get_mem_data(out.get(), &data);
    return length > 0 ? std::string(data, static_cast<size_t>(length)) : std::string();
}

std::string serialHex(const X509* certificate) {
    BIGNUM* number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
    if (number == nullptr) return std::string();
    char* hex = BN_bn2hex(number);
    std::string result = hex != nullptr ? hex : "";
    OPENSSL_free(hex);
    BN_free(number);
    return result;
}

int64_t unixSeconds(const ASN1_TIME* time) {
    struct tm broken = {};
    if (time == nullptr || ASN1_TIME_to_tm(time, &broken) != 1) return 0;
    return static_cast<int64_t>(timegm(&broken));
}

std::string lowerCase(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

void readSubjectAltNames(const X509* leaf, CertificateInfo& info) {
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr));
    if (names == nullptr) return;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
        if (name->type == GEN_DNS) {
            const ASN1_IA5STRING* dns = name->d.dNSName;
            info.dnsNames.push_back(normalizeHostName(std::string_view(
                reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)), static_cast<size_t>(ASN1_STRING_length(dns)))));
        } else if (name->type == GEN_IPADD) {
            const ASN1_OCTET_STRING* ip = name->d.iPAddress;
            char text[INET6_ADDRSTRLEN] = {};
            int family = ASN1_STRING_length(ip) == 4 ? AF_INET : ASN1_STRING_length(ip) == 16 ? AF_INET6 : 0;
            if (family != 0 && inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text) != nullptr) {
                info.ipAddresses.emplace_back(text);
            }
        }
    }
    GENERAL_NAMES_free(names);
}

CertificateInfo describe(const X509* leaf, size_t intermediateCount) {
    CertificateInfo info;
    info.subjectCommonName = commonName(X509_get_subject_name(leaf));
    readSubjectAltNames(leaf, info);
    info.issuer = commonName(X509_get_issuer_name(leaf));
    if (info.issuer.empty()) info.issuer = oneLine(X509_get_issuer_name(leaf));
    info.serialHex = serialHex(leaf);
    info.notBefore = unixSeconds(X509_get0_notBefore(leaf));
    info.notAfter = unixSeconds(X509_get0_notAfter(leaf));
    info.intermediateCount = intermediateCount;
    return info;
}

}  // namespace

std::string normalizeHostName(std::string_view hostName) {
    if (!hostName.empty() && hostName.back() == '.') hostName.remove_suffix(1);
    return lowerCase(hostName);
}

std::string canonicalIpAddress(std::string_view text) {
    std::string address(text);
    if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
    unsigned char binary[16];
    char canonical[INET6_ADDRSTRLEN] = {};
    if (inet_pton(AF_INET, address.c_str(), binary) == 1) {
        return inet_ntop(AF_INET, binary, canonical, sizeof canonical) != nullptr ? canonical : "";
    }
    if (inet_pton(AF_INET6, address.c_str(), binary) == 1) {
        return inet_ntop(AF_INET6, binary, canonical, sizeof canonical) != nullptr ? canonical : "";
    }
    return std::string();
}

std::string wildcardFor(std::string_view normalizedHostName) {
    size_t dot = normalizedHostName.find('.');
    // The replaced label must be non-empty and the parent must itself have a dot.
    if (dot == 0 || dot == std::string_view::npos || dot + 1 >= normalizedHostName.size()) return std::string();
    return "*" + std::string(normalizedHostName.substr(dot));
}

ServedCertificate::ServedCertificate(SslCtxPtr context, CertificateInfo info)
    : _context(std::move(context)), _info(std::move(info)) {}

bool ServedCertificate::covers(std::string_view hostName) const {
    std::string ip = canonicalIpAddress(hostName);
    if (!ip.empty()) return std::find(_info.ipAddresses.begin(), _info.ipAddresses.end(), ip) != _info.ipAddresses.end();
    std::string name = normalizeHostName(hostName);
    if (name.empty()) return false;
    if (std::find(_info.dnsNames.begin(), _info.dnsNames.end(), name) != _info.dnsNames.end()) return true;
    std::string wildcard = wildcardFor(name);
    return !wildcard.empty() && std::find(_info.dnsNames.begin(), _info.dnsNames.end(), wildcard) != _info.dnsNames.end();
}

ServedCertificate::LoadResult ServedCertificate::fromPem(std::string_view chainPem, std::string_view keyPem,
                                                         const TlsPolicy& policy,
                                                         const std::shared_ptr<TicketKeyRing>& ring) {
    ERR_clear_error();
    std::vector<X509Ptr> chain;
    BioPtr chainBio = memoryBio(chainPem);
    if (!chainBio) return {nullptr, "out of memory reading the certificate"};
    for (;;) {
        X509Ptr certificate(PEM_read_bio_X509(chainBio.get(), nullptr, nullptr, nullptr));
        if (!certificate) {
            if (reachedEndOfPem()) break;
            return {nullptr, "unreadable chain certificate #" + std::to_string(chain.size() + 1)};
        }
        chain.push_back(std::move(certificate));
    }
    if (chain.empty()) return {nullptr, "no certificate in the PEM"};

    bool passwordAsked = false;
    BioPtr keyBio = memoryBio(keyPem);
    if (!keyBio) return {nullptr, "out of memory reading the key"};
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, refusePassword, &passwordAsked));
    if (!key) {
        if (passwordAsked) {
            ERR_clear_error();
            return {nullptr, "the key must not be password protected"};
        }
        // OpenSSL 3's key decoders do not report a missing PEM block as such.
        ERR_clear_error();
        if (keyPem.find("-----BEGIN") == std::string_view::npos) return {nullptr, "no private key in the PEM"};
        return {nullptr, "unreadable private key"};
    }
    if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
        ERR_clear_error();
        return {nullptr, "the key does not match the certificate"};
    }

    std::string error;
    SslCtxPtr context = newServerContext(policy, ring, error);
    if (!context) return {nullptr, error};
    if (SSL_CTX_use_certificate(context.get(), chain.front().get()) != 1) {
        return {nullptr, "the certificate was refused: " + takeOpenSslError()};
    }
    SSL_CTX_clear_chain_certs(context.get());
    for (size_t i = 1; i < chain.size(); ++i) {
        if (SSL_CTX_add1_chain_cert(context.get(), chain[i].get()) != 1) {
            return {nullptr, "chain certificate #" + std::to_string(i + 1) + " was refused: " + takeOpenSslError()};
        }
    }
    if (SSL_CTX_use_PrivateKey(context.get(), key.get()) != 1) {
        return {nullptr, "the key was refused: " + takeOpenSslError()};
    }
    if (SSL_CTX_check_private_key(context.get()) != 1) {
        ERR_clear_error();
        return {nullptr, "the key does not match the certificate"};
    }
    CertificateInfo info = describe(chain.front().get(), chain.size() - 1);
    return {std::make_shared<const ServedCertificate>(std::move(context), std::move(info)), std::string()};
}

}  // namespace rportd::tls
