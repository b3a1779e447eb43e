#include "AccountKey.h"

#include <openssl/core_names.h>

#include "Base64Url.h"
#include "JsonWriter.h"

namespace rport::plugins::acme {
namespace {

constexpr int kCoordinateBytes = 32;  // P-256

// A P-256 coordinate as the fixed 32 bytes JWK requires (leading zeros kept).
std::string coordinate(EVP_PKEY* key, const char* param) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, param, &raw) != 1)
        throwOpenSsl("cannot read the account key's public point");
    BigNum n(raw);
    std::string out(kCoordinateBytes, '\0');
    if (BN_bn2binpad(n.get(), reinterpret_cast<unsigned char*>(out.data()), kCoordinateBytes) !=
        kCoordinateBytes)
        throw CryptoError("the account key's public point does not fit P-256");
    return out;
}

}  // namespace

AccountKey::AccountKey(PrivateKey key) : _key(std::move(key)) {
    if (!_key.isEcdsaP256()) throw CryptoError("the account key is not an EC P-256 key");
    _jwk = JsonObject()
               .string("crv", "P-256")
               .string("kty", "EC")
               .string("x", base64UrlEncode(coordinate(_key.get(), OSSL_PKEY_PARAM_EC_PUB_X)))
               .string("y", base64UrlEncode(coordinate(_key.get(), OSSL_PKEY_PARAM_EC_PUB_Y)))
               .text();
}

AccountKey AccountKey::generate() { return AccountKey(PrivateKey::generate(KeyType::EcdsaP256)); }

AccountKey AccountKey::fromPem(std::string_view pem) {
    return AccountKey(PrivateKey::fromPem(pem));
}

std::string AccountKey::thumbprint() const { return jwkThumbprint(_jwk); }

std::string AccountKey::sign(std::string_view data) const {
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, _key.get()) != 1)
        throwOpenSsl("cannot start an ES256 signature");
    size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
        throwOpenSsl("cannot size the ES256 signature");
    std::string der(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
        throwOpenSsl("cannot sign with the account key");
    der.resize(len);

    // OpenSSL writes ECDSA-Sig-Value (DER); JWS wants r and s as two 32-byte
    // big-endian numbers side by side.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig) throwOpenSsl("cannot decode the ECDSA signature");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::string raw(2 * kCoordinateBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(r, out, kCoordinateBytes) != kCoordinateBytes ||
        BN_bn2binpad(s, out + kCoordinateBytes, kCoordinateBytes) != kCoordinateBytes)
        throw CryptoError("the ECDSA signature does not fit P-256");
    return raw;
}

std::string jwkThumbprint(const std::string& canonicalJwk) {
    return base64UrlEncode(sha256(canonicalJwk));
}

}  // namespace rport::plugins::acme
