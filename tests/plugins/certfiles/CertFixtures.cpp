#include "CertFixtures.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace rport::test::certfiles {
namespace {

std::atomic<long> nextSerial{0x1000};

EVP_PKEY* newKey(KeyType type) {
    EVP_PKEY* key = type == KeyType::Rsa2048 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
    if (!key) throw std::runtime_error("key generation failed");
    return key;
}

std::string bioText(BIO* bio) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<size_t>(len));
    BIO_free(bio);
    return text;
}

std::string pemOf(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    return bioText(bio);
}

std::string keyPem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioText(bio);
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) throw std::runtime_error("bad extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// issuer/issuerKey null: self-signed.
X509* makeCert(EVP_PKEY* key, const std::string& cn, bool ca, X509* issuer, EVP_PKEY* issuerKey) {
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), nextSerial++);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 90L * 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                               -1, 0);
    X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
    if (ca) {
        addExtension(cert, issuer, NID_basic_constraints, "critical,CA:TRUE");
        addExtension(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExtension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE");
        addExtension(cert, issuer, NID_subject_alt_name, ("DNS:" + cn).c_str());
    }
    if (X509_sign(cert, issuerKey ? issuerKey : key, EVP_sha256()) == 0) throw std::runtime_error("sign failed");
    return cert;
}

std::string serialOf(X509* cert) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    char* hex = BN_bn2hex(bn);
    std::string text(hex);
    OPENSSL_free(hex);
    BN_free(bn);
    return text;
}

void writeFile(const std::string& path, const std::string& text, int mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("cannot write " + path);
    ::fchmod(fd, static_cast<mode_t>(mode));
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            ::close(fd);
            throw std::runtime_error("write failed: " + path);
        }
        done += static_cast<size_t>(n);
    }
    ::close(fd);
}

}  // namespace

struct TestCa::State {
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
};

TestCa::TestCa() : _state(std::make_unique<State>()) {
    _state->key = newKey(KeyType::EcdsaP256);
    _state->cert = makeCert(_state->key, "Test Intermediate CA", true, nullptr, nullptr);
    _certPem = pemOf(_state->cert);
}

TestCa::~TestCa() {
    X509_free(_state->cert);
    EVP_PKEY_free(_state->key);
}

Issued TestCa::issue(const std::string& dnsName, KeyType type) {
    EVP_PKEY* key = newKey(type);
    X509* cert = makeCert(key, dnsName, false, _state->cert, _state->key);
    Issued i{pemOf(cert), keyPem(key), "", serialOf(cert)};
    i.chainPem = i.certPem + _certPem;
    X509_free(cert);
    EVP_PKEY_free(key);
    return i;
}

Issued selfSigned(const std::string& dnsName, KeyType type) {
    EVP_PKEY* key = newKey(type);
    X509* cert = makeCert(key, dnsName, false, nullptr, nullptr);
    Issued i{pemOf(cert), keyPem(key), "", serialOf(cert)};
    i.chainPem = i.certPem;
    X509_free(cert);
    EVP_PKEY_free(key);
    return i;
}

std::string encryptedKey(const std::string& pem, bool traditional) {
    BIO* in = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    if (!key) throw std::runtime_error("bad key");
    BIO* out = BIO_new(BIO_s_mem());
    static const char password[] = "secret";
    auto* pw = reinterpret_cast<unsigned char*>(const_cast<char*>(password));
    if (traditional)
        PEM_write_bio_PrivateKey_traditional(out, key, EVP_aes_128_cbc(), pw, 6, nullptr, nullptr);
    else
        PEM_write_bio_PrivateKey(out, key, EVP_aes_256_cbc(), pw, 6, nullptr, nullptr);
    EVP_PKEY_free(key);
    return bioText(out);
}

std::string firstSerial(const std::string& chainPem) {
    BIO* in = BIO_new_mem_buf(chainPem.data(), static_cast<int>(chainPem.size()));
    X509* cert = PEM_read_bio_X509(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    if (!cert) return {};
    std::string serial = serialOf(cert);
    X509_free(cert);
    return serial;
}

size_t certificateCount(const std::string& chainPem) {
    BIO* in = BIO_new_mem_buf(chainPem.data(), static_cast<int>(chainPem.size()));
    size_t n = 0;
    while (X509* cert = PEM_read_bio_X509(in, nullptr, nullptr, nullptr)) {
        ++n;
        X509_free(cert);
    }
    BIO_free(in);
    return n;
}

bool keyMatches(std::string_view chainPem, std::string_view keyPemText) {
    BIO* in = BIO_new_mem_buf(chainPem.data(), static_cast<int>(chainPem.size()));
    X509* cert = PEM_read_bio_X509(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    BIO* kin = BIO_new_mem_buf(keyPemText.data(), static_cast<int>(keyPemText.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(kin, nullptr, nullptr, nullptr);
    BIO_free(kin);
    const bool ok = cert && key && X509_check_private_key(cert, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok;
}

void writeInPlace(const std::string& path, const std::string& text, int mode) { writeFile(path, text, mode); }

void replaceByRename(const std::string& path, const std::string& text, int mode) {
    const std::string temp = path + ".tmp";
    writeFile(temp, text, mode);
    if (std::rename(temp.c_str(), path.c_str()) != 0) throw std::runtime_error("rename failed: " + path);
}

bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
}

Harness::Harness() : plugin(host.open(CERTFILES_PLUGIN_PATH)) {}

std::unique_ptr<rport::sdk::CertClient> Harness::create(const std::string& backend) {
    return host.createCert(plugin, backend);
}

std::string Harness::createError(const std::string& backend) {
    try {
        host.createCert(plugin, backend);
    } catch (const rport::sdk::Error& e) {
        const std::string prefix = "create failed: ";
        std::string m = e.what();
        return m.rfind(prefix, 0) == 0 ? m.substr(prefix.size()) : m;
    }
    return "(create succeeded)";
}

std::string Harness::servedSerial(const rport::sdk::CertClient& client) {
    std::optional<rport::sdk::CertBundle> bundle;
    if (!client.current(bundle).ok() || !bundle) return {};
    return firstSerial(bundle->chainPem);
}

size_t Harness::countLogs(int32_t level, const std::string& needle) const {
    size_t n = 0;
    for (const auto& l : host.logs())
        if (l.level == level && l.text.find(needle) != std::string::npos) ++n;
    return n;
}

std::string Harness::allLogs() const {
    std::string text;
    for (const auto& l : host.logs()) text += "[" + std::to_string(l.level) + "] " + l.text + "\n";
    return text;
}

}  // namespace rport::test::certfiles
