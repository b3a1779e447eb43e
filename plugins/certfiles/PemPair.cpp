#include "PemPair.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <string_view>

namespace rport::plugins::certfiles {
namespace {

constexpr size_t kLargestFile = 1024 * 1024;

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

std::string systemMessage(int error) {
    char buffer[256];
    // GNU strerror_r may return a static string instead of filling buffer.
    const char* text = ::strerror_r(error, buffer, sizeof buffer);
    return text ? text : "error " + std::to_string(error);
}

// Empty string when the whole file was read, else the reason. Text is a
// std::string, or a SecretString for the key file.
template <class Text>
std::string readWhole(const std::string& path, Text& out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return systemMessage(errno);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        return systemMessage(EISDIR);
    }
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            OPENSSL_cleanse(buffer, sizeof buffer);
            return systemMessage(error);
        }
        if (n == 0) break;
        out.append(std::string_view(buffer, static_cast<size_t>(n)));
        if (out.size() > kLargestFile) {
            ::close(fd);
            OPENSSL_cleanse(buffer, sizeof buffer);
            return "larger than 1 MiB, not a PEM file";
        }
    }
    ::close(fd);
    OPENSSL_cleanse(buffer, sizeof buffer);
    return {};
}

bool hasLineStarting(std::string_view text, std::string_view prefix) {
    for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1))
        if (at == 0 || text[at - 1] == '\n') return true;
    return false;
}

bool hasBeginMarkerEndingIn(std::string_view text, std::string_view suffix) {
    const std::string_view begin = "-----BEGIN ";
    for (size_t at = text.find(begin); at != std::string_view::npos;
         at = text.find(begin, at + 1)) {
        if (at != 0 && text[at - 1] != '\n') continue;
        const size_t lineEnd = text.find('\n', at);
        std::string_view line = text.substr(
            at, lineEnd == std::string_view::npos ? std::string_view::npos : lineEnd - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() >= suffix.size() && line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0)
            return true;
    }
    return false;
}

// True when what follows the last END line starts like another PEM block that
// was cut off: a file still being written.
bool endsInPartialBlock(std::string_view text) {
    const size_t lastEnd = text.rfind("-----END ");
    if (lastEnd == std::string_view::npos) return false;
    const size_t lineEnd = text.find('\n', lastEnd);
    if (lineEnd == std::string_view::npos) {
        // The END line itself has no line break yet: complete only when it
        // closes with the five dashes.
        std::string_view tail = text.substr(lastEnd + 9);
        while (!tail.empty() && (tail.back() == '\r' || tail.back() == ' ')) tail.remove_suffix(1);
        return tail.size() < 5 || tail.compare(tail.size() - 5, 5, "-----") != 0;
    }
    for (size_t i = lineEnd + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        return c == '-';
    }
    return false;
}

std::string opensslReason() {
    const unsigned long code = ERR_peek_last_error();
    const char* reason = code ? ERR_reason_error_string(code) : nullptr;
    ERR_clear_error();
    return reason ? reason : "unknown error";
}

std::string toPem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
}

rport::sdk::SecretString keyToPem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!bio) bio.reset(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) return {};
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    rport::sdk::SecretString pem(std::string_view(data, static_cast<size_t>(len)));
    OPENSSL_cleanse(data, static_cast<size_t>(len));
    return pem;
}

bool toUnixSeconds(const ASN1_TIME* t, int64_t& out) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return false;
    out = static_cast<int64_t>(::timegm(&tm));
    return true;
}

std::string serialHex(X509* cert) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    if (!bn) return "?";
    char* hex = BN_bn2hex(bn);
    std::string text = hex ? hex : "?";
    OPENSSL_free(hex);
    BN_free(bn);
    return text;
}

std::vector<std::string> dnsNamesOf(X509* cert) {
    std::vector<std::string> names;
    auto* general = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (!general) return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(general); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(general, i);
        if (name->type != GEN_DNS) continue;
        const ASN1_IA5STRING* dns = name->d.dNSName;
        names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                           static_cast<size_t>(ASN1_STRING_length(dns)));
    }
    GENERAL_NAMES_free(general);
    return names;
}

LoadResult failure(std::string problem) {
    LoadResult r;
    r.problem = std::move(problem);
    return r;
}

// Reads every certificate of the file, in order.
std::string parseChain(const std::string& path, const std::string& text, std::vector<X509Ptr>& chain) {
    if (!hasBeginMarkerEndingIn(text, "CERTIFICATE-----")) return path + " holds no PEM certificate";
    if (endsInPartialBlock(text)) return path + " ends in an incomplete PEM block (still being written?)";
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) return path + ": out of memory";
    ERR_clear_error();
    for (;;) {
        X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        if (cert) {
            chain.emplace_back(cert);
            continue;
        }
        const unsigned long code = ERR_peek_last_error();
        if (ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE) {
            ERR_clear_error();
            break;  // no further certificate
        }
        return path + ": certificate " + std::to_string(chain.size() + 1) + " cannot be parsed (" +
               opensslReason() + ")";
    }
    if (chain.empty()) return path + " holds no PEM certificate";
    return {};
}

struct PasswordProbe {
    bool asked = false;
};

int refusePassword(char*, int, int, void* arg) {
    static_cast<PasswordProbe*>(arg)->asked = true;
    return -1;
}

std::string parseKey(const std::string& path, std::string_view text, KeyPtr& key) {
    const bool encryptedPkcs8 = hasLineStarting(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----");
    if (!encryptedPkcs8 && !hasBeginMarkerEndingIn(text, "PRIVATE KEY-----"))
        return path + " holds no PEM private key";
    if (encryptedPkcs8 || text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos)
        return path + ": the key must not be password protected";
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) return path + ": out of memory";
    ERR_clear_error();
    PasswordProbe probe;
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, &refusePassword, &probe));
    if (probe.asked) {
        key.reset();
        ERR_clear_error();
        return path + ": the key must not be password protected";
    }
    if (!key) return path + ": the private key cannot be parsed (" + opensslReason() + ")";
    return {};
}

}  // namespace

std::string utcText(int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    if (!::gmtime_r(&t, &tm)) return "?";
    char buffer[40];
    const size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return std::string(buffer, n);
}

LoadResult loadCertPair(const std::string& certPath, const std::string& keyPath) {
    std::string certText;
    if (std::string why = readWhole(certPath, certText); !why.empty())
        return failure("cannot read certificate file " + certPath + ": " + why);
    rport::sdk::SecretString keyText;
    if (std::string why = readWhole(keyPath, keyText); !why.empty())
        return failure("cannot read key file " + keyPath + ": " + why);

    std::vector<X509Ptr> chain;
    if (std::string why = parseChain(certPath, certText, chain); !why.empty()) return failure(why);
    KeyPtr key;
    if (std::string why = parseKey(keyPath, keyText, key); !why.empty()) return failure(why);

    X509* leaf = chain.front().get();
    ERR_clear_error();
    if (X509_check_private_key(leaf, key.get()) != 1) {
        ERR_clear_error();
        return failure("the key in " + keyPath + " does not match the certificate in " + certPath);
    }

    LoadResult r;
    CertPair& p = r.pair;
    for (const auto& cert : chain) {
        std::string pem = toPem(cert.get());
        if (pem.empty()) return failure(certPath + ": cannot encode the certificate (" + opensslReason() + ")");
        p.chainPem += pem;
    }
    p.keyPem = keyToPem(key.get());
    if (p.keyPem.empty()) return failure(keyPath + ": cannot encode the key (" + opensslReason() + ")");
    if (!toUnixSeconds(X509_get0_notBefore(leaf), p.notBefore) ||
        !toUnixSeconds(X509_get0_notAfter(leaf), p.notAfter))
        return failure(certPath + ": the certificate has an unreadable validity period");
    p.serial = serialHex(leaf);
    p.notAfterText = utcText(p.notAfter);
    p.dnsNames = dnsNamesOf(leaf);
    r.ok = true;
    return r;
}

}  // namespace rport::plugins::certfiles
