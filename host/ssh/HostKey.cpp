#include "ssh/HostKey.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "ssh/SshWire.h"

namespace rportd::ssh {

namespace {

constexpr const char* curveId = "nistp256";  // RFC 5656's name for P-256 inside the blob
constexpr size_t scalarSize = 32;
constexpr size_t pointSize = 1 + 2 * scalarSize;  // 0x04 || X || Y

template <typename T, void (*Free)(T*)>
struct Freer {
    void operator()(T* p) const { Free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, Freer<BIGNUM, BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Freer<BN_CTX, BN_CTX_free>>;
using GroupPtr = std::unique_ptr<EC_GROUP, Freer<EC_GROUP, EC_GROUP_free>>;
using PointPtr = std::unique_ptr<EC_POINT, Freer<EC_POINT, EC_POINT_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Freer<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Freer<EVP_MD_CTX, EVP_MD_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Freer<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Freer<OSSL_PARAM, OSSL_PARAM_free>>;
using BioPtr = std::unique_ptr<BIO, Freer<BIO, BIO_free_all>>;
using SigPtr = std::unique_ptr<ECDSA_SIG, Freer<ECDSA_SIG, ECDSA_SIG_free>>;

// Takes OpenSSL's reason for the failure and empties its per-thread error queue: a stale
// entry left there would be misread later by unrelated code (TLS reads check the queue).
std::string opensslReason() {
    unsigned long code = ERR_peek_last_error();
    std::string reason;
    if (code != 0) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        reason = buffer;
    }
    ERR_clear_error();
    return reason.empty() ? "unknown OpenSSL error" : reason;
}

[[noreturn]] void failOpenssl(const std::string& what) {
    throw std::runtime_error("host key: " + what + ": " + opensslReason());
}

std::string errnoText(int error) { return std::generic_category().message(error); }

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

std::string digest(const EVP_MD* md, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out, &size, md, nullptr) != 1) failOpenssl("digest");
    return std::string(reinterpret_cast<char*>(out), size);
}

std::string base64(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes(data),
                               static_cast<int>(data.size()));
    out.resize(static_cast<size_t>(size));
    return out;
}

GroupPtr p256() {
    GroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    if (!group) failOpenssl("P-256 group");
    return group;
}

bool isP256(const EVP_PKEY* key) {
    if (!EVP_PKEY_is_a(key, "EC")) return false;
    char name[80];
    size_t size = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &size) !=
        1) {
        ERR_clear_error();
        return false;
    }
    int nid = OBJ_sn2nid(name);
    if (nid == NID_undef) nid = EC_curve_nist2nid(name);
    return nid == NID_X9_62_prime256v1;
}

// An EVP_PKEY from P-256 parameters; `privateScalar` may be null for a public key only.
PkeyPtr keyFromParams(const BIGNUM* privateScalar, std::string_view point) {
    ParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                         SN_X9_62_prime256v1, 0) ||
        !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                          point.size()) ||
        (privateScalar &&
         !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, privateScalar))) {
        failOpenssl("key parameters");
    }
    ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) failOpenssl("key import");
    EVP_PKEY* key = nullptr;
    int selection = privateScalar ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    if (EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) != 1) failOpenssl("key import");
    return PkeyPtr(key);
}

// OpenSSL 3 does not derive the public point when a key is imported from its private
// scalar alone, so it is computed here. EC_GROUP/EC_POINT are not deprecated (only EC_KEY is).
PkeyPtr keyFromScalar(const BIGNUM* d) {
    GroupPtr group = p256();
    BnCtxPtr ctx(BN_CTX_secure_new());
    PointPtr point(EC_POINT_new(group.get()));
    if (!ctx || !point ||
        EC_POINT_mul(group.get(), point.get(), d, nullptr, nullptr, ctx.get()) != 1) {
        failOpenssl("public point");
    }
    std::array<unsigned char, pointSize> encoded{};
    if (EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED, encoded.data(),
                           encoded.size(), ctx.get()) != pointSize) {
        failOpenssl("public point encoding");
    }
    return keyFromParams(d,
                         std::string_view(reinterpret_cast<char*>(encoded.data()), encoded.size()));
}

// The original's deterministic reader (share/determ_rand.go): the state starts as the seed
// and is replaced 2048 times by the first half of its SHA-512, those outputs thrown away.
// Each read step then hashes the state again, hands out the second half of the digest and
// keeps the first half as the next state; within one read the unused tail of the last
// digest is dropped. One 40-byte read is all key generation takes, so that is all we do.
constexpr int strengthenRounds = 2048;
constexpr size_t keyMaterialSize = 256 / 8 + 8;  // Go 1.19: order bit length / 8 + 8

std::array<unsigned char, keyMaterialSize> seededKeyMaterial(std::string_view seed) {
    std::array<unsigned char, SHA512_DIGEST_LENGTH> hash{};
    std::array<unsigned char, SHA512_DIGEST_LENGTH / 2> state{};
    auto step = [&](const void* input, size_t size) {
        if (EVP_Digest(input, size, hash.data(), nullptr, EVP_sha512(), nullptr) != 1) {
            failOpenssl("SHA-512");
        }
        std::copy(hash.begin(), hash.begin() + state.size(), state.begin());
    };
    step(seed.data(), seed.size());
    for (int round = 1; round < strengthenRounds; ++round) step(state.data(), state.size());

    std::array<unsigned char, keyMaterialSize> out{};
    for (size_t filled = 0; filled < out.size();) {
        step(state.data(), state.size());
        size_t take = std::min(out.size() - filled, hash.size() / 2);
        std::copy_n(hash.begin() + hash.size() / 2, take, out.begin() + filled);
        filled += take;
    }
    OPENSSL_cleanse(hash.data(), hash.size());
    OPENSSL_cleanse(state.data(), state.size());
    return out;
}

std::string parentDirectory(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// The whole file, or nothing when it does not exist. Anything else is the caller's problem
// to report: a key file we cannot read must stop the start, not be replaced.
std::optional<std::string> readKeyFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw std::runtime_error("host key file " + path + ": " + errnoText(errno));
    }
    std::string content;
    struct stat info {};
    std::string error;
    if (::fstat(fd, &info) != 0) {
        error = errnoText(errno);
    } else if (!S_ISREG(info.st_mode)) {
        error = "not a regular file";
    } else if (info.st_size > 64 * 1024) {
        error = "too large for a key file";
    } else {
        char buffer[4096];
        for (;;) {
            ssize_t got = ::read(fd, buffer, sizeof buffer);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) {
                error = errnoText(errno);
                break;
            }
            if (got == 0) break;
            content.append(buffer, static_cast<size_t>(got));
        }
    }
    ::close(fd);
    if (!error.empty()) {
        OPENSSL_cleanse(content.data(), content.size());
        throw std::runtime_error("host key file " + path + ": " + error);
    }
    return content;
}

// Writes `content` to `path` only if no file is there: temporary file in the same directory
// (mode 0600), fsync, rename without replacing, fsync the directory so the new name survives
// a crash. Returns false when a file appeared at `path` meanwhile (another process won).
bool publishNewFile(const std::string& path, const std::string& content) {
    std::string dir = parentDirectory(path);
    std::string temp = path + ".tmp.XXXXXX";
    auto fail = [&](const std::string& what, int error) -> void {
        ::unlink(temp.c_str());
        throw std::runtime_error("host key file " + path + ": " + what + ": " + errnoText(error));
    };
    int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        throw std::runtime_error("host key file " + path +
                                 ": cannot create a temporary file: " + errnoText(error));
    }
    if (::fchmod(fd, 0600) != 0) {
        int error = errno;
        ::close(fd);
        fail("chmod", error);
    }
    for (size_t written = 0; written < content.size();) {
        ssize_t put = ::write(fd, content.data() + written, content.size() - written);
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) {
            int error = errno;
            ::close(fd);
            fail("write", error);
        }
        written += static_cast<size_t>(put);
    }
    if (::fsync(fd) != 0) {
        int error = errno;
        ::close(fd);
        fail("fsync", error);
    }
    if (::close(fd) != 0) fail("close", errno);

    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0) {
        int error = errno;
        if (error == EEXIST) {
            ::unlink(temp.c_str());
            return false;
        }
        // Some file systems lack RENAME_NOREPLACE; a plain rename then, the race with another
        // process creating the same key file at the same moment being the only loss.
        if (error != EINVAL && error != ENOSYS) fail("rename", error);
        if (::rename(temp.c_str(), path.c_str()) != 0) fail("rename", errno);
    }
    int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0 || ::fsync(dirFd) != 0) {
        int error = errno;
        if (dirFd >= 0) ::close(dirFd);
        throw std::runtime_error("host key file " + path + ": fsync of " + dir + ": " +
                                 errnoText(error));
    }
    ::close(dirFd);
    return true;
}

}  // namespace

void HostKey::PkeyFree::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

HostKey::HostKey(EVP_PKEY* key) : _key(key) {
    if (!isP256(key)) throw std::runtime_error("host key: not an ECDSA P-256 key");
    // The point is read as coordinates rather than as the key's encoded form, which may be
    // compressed depending on how the key was made.
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    bool ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
              EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
    BnPtr xOwned(x), yOwned(y);
    std::string point(pointSize, '\0');
    point[0] = 0x04;
    auto* out = reinterpret_cast<unsigned char*>(point.data());
    if (!ok || BN_bn2binpad(x, out + 1, scalarSize) != int(scalarSize) ||
        BN_bn2binpad(y, out + 1 + scalarSize, scalarSize) != int(scalarSize)) {
        failOpenssl("public point");
    }
    _publicBlob = WireWriter().string(algorithm).string(curveId).string(point).take();
}

HostKey HostKey::fromSeed(std::string_view seed) {
    if (seed.empty()) throw std::invalid_argument("host key: empty key seed");
    std::array<unsigned char, keyMaterialSize> material = seededKeyMaterial(seed);
    // d = (k mod (N - 1)) + 1, k the material read big-endian: Go 1.19's
    // ecdsa.GenerateKey, kept by the original as backwardskey.ECDSALegacy.
    GroupPtr group = p256();
    BnCtxPtr ctx(BN_CTX_secure_new());
    BnPtr k(BN_secure_new()), d(BN_secure_new()),
        nMinusOne(BN_dup(EC_GROUP_get0_order(group.get())));
    bool ok = ctx && k && d && nMinusOne &&
              BN_bin2bn(material.data(), static_cast<int>(material.size()), k.get()) &&
              BN_sub_word(nMinusOne.get(), 1) == 1 &&
              BN_mod(d.get(), k.get(), nMinusOne.get(), ctx.get()) == 1 &&
              BN_add_word(d.get(), 1) == 1;
    OPENSSL_cleanse(material.data(), material.size());
    if (!ok) failOpenssl("scalar from seed");
    return HostKey(keyFromScalar(d.get()).release());
}

HostKey HostKey::generate() {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_group_name(ctx.get(), SN_X9_62_prime256v1) != 1 ||
        EVP_PKEY_generate(ctx.get(), &key) != 1) {
        failOpenssl("key generation");
    }
    return HostKey(key);
}

HostKey HostKey::loadOrCreate(const std::string& path, bool* created) {
    if (created) *created = false;
    std::optional<std::string> pem = readKeyFile(path);
    if (!pem) {
        HostKey fresh = generate();
        std::string text = fresh.privatePem();
        bool published = publishNewFile(path, text);
        OPENSSL_cleanse(text.data(), text.size());
        if (published) {
            if (created) *created = true;
            return fresh;
        }
        pem = readKeyFile(path);  // someone else wrote it first: theirs is the key
        if (!pem) throw std::runtime_error("host key file " + path + ": vanished while created");
    }

    BioPtr bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
    // Without a callback OpenSSL would prompt on the terminal for an encrypted key.
    auto noPassword = [](char*, int, int, void*) -> int { return -1; };
    EVP_PKEY* key =
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr) : nullptr;
    OPENSSL_cleanse(pem->data(), pem->size());
    if (!key) {
        throw std::runtime_error("host key file " + path +
                                 ": not a PEM private key: " + opensslReason());
    }
    PkeyPtr owned(key);
    if (!isP256(key)) {
        throw std::runtime_error("host key file " + path + ": not an ECDSA P-256 key");
    }
    // A file whose public half does not match its private half would make every
    // handshake fail at the client with a bad signature; say so at start instead.
    PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!check || EVP_PKEY_pairwise_check(check.get()) != 1) {
        throw std::runtime_error("host key file " + path +
                                 ": inconsistent key: " + opensslReason());
    }
    return HostKey(owned.release());
}

std::string HostKey::fingerprintMd5() const {
    static const char hex[] = "0123456789abcdef";
    std::string md5 = digest(EVP_md5(), _publicBlob);
    std::string out;
    for (unsigned char byte : md5) {
        if (!out.empty()) out += ':';
        out += hex[byte >> 4];
        out += hex[byte & 0x0f];
    }
    return out;
}

std::string HostKey::fingerprintSha256() const {
    std::string text = base64(digest(EVP_sha256(), _publicBlob));
    while (!text.empty() && text.back() == '=') text.pop_back();
    return "SHA256:" + text;
}

std::string HostKey::openSshPublicLine() const {
    return std::string(algorithm) + " " + base64(_publicBlob);
}

std::string HostKey::sign(std::string_view data) const {
    MdCtxPtr md(EVP_MD_CTX_new());
    size_t size = 0;
    if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, _key.get()) != 1 ||
        EVP_DigestSign(md.get(), nullptr, &size, bytes(data), data.size()) != 1) {
        failOpenssl("sign");
    }
    std::string der(size, '\0');
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(der.data()), &size, bytes(data),
                       data.size()) != 1) {
        failOpenssl("sign");
    }
    // OpenSSL gives an X9.62 DER SEQUENCE { r, s }; SSH wants the two as mpints.
    const unsigned char* cursor = bytes(der);
    SigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(size)));
    if (!sig) failOpenssl("signature decoding");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    auto magnitude = [](const BIGNUM* n) {
        std::string out(static_cast<size_t>(BN_num_bytes(n)), '\0');
        BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
        return out;
    };
    std::string inner =
        WireWriter().mpintFromUnsigned(magnitude(r)).mpintFromUnsigned(magnitude(s)).take();
    return WireWriter().string(algorithm).string(inner).take();
}

std::string HostKey::privatePem() const {
    BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), _key.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1) {
        failOpenssl("PEM encoding");
    }
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

bool verifyHostSignature(std::string_view publicBlob, std::string_view data,
                         std::string_view signatureBlob) {
    try {
        WireReader key(publicBlob);
        if (key.string(64) != HostKey::algorithm || key.string(64) != curveId) return false;
        std::string_view point = key.string(pointSize);
        key.expectEnd("public key");
        if (point.size() != pointSize || point[0] != 0x04) return false;

        WireReader outer(signatureBlob);
        if (outer.string(64) != HostKey::algorithm) return false;
        std::string_view inner = outer.string(256);
        outer.expectEnd("signature");
        WireReader numbers(inner);
        std::string_view r = numbers.mpintUnsigned();
        std::string_view s = numbers.mpintUnsigned();
        numbers.expectEnd("signature");
        if (r.size() > scalarSize || s.size() > scalarSize) return false;

        PkeyPtr pkey = keyFromParams(nullptr, point);  // refuses points off the curve
        SigPtr sig(ECDSA_SIG_new());
        BIGNUM* rn = BN_bin2bn(bytes(r), static_cast<int>(r.size()), nullptr);
        BIGNUM* sn = BN_bin2bn(bytes(s), static_cast<int>(s.size()), nullptr);
        if (!sig || !rn || !sn || ECDSA_SIG_set0(sig.get(), rn, sn) != 1) {
            BN_free(rn);
            BN_free(sn);
            ERR_clear_error();
            return false;
        }
        unsigned char* der = nullptr;
        int derSize = i2d_ECDSA_SIG(sig.get(), &der);
        if (derSize <= 0) {
            ERR_clear_error();
            return false;
        }
        MdCtxPtr md(EVP_MD_CTX_new());
        bool valid =
            md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) == 1 &&
            EVP_DigestVerify(md.get(), der, static_cast<size_t>(derSize), bytes(data),
                             data.size()) == 1;
        OPENSSL_free(der);
        ERR_clear_error();
        return valid;
    } catch (const std::exception&) {
        ERR_clear_error();
        return false;
    }
}

}  // namespace rportd::ssh
