#include "Jws.h"

#include <openssl/evp.h>

#include "Base64Url.h"
#include "JsonWriter.h"
#include "OpenSsl.h"

namespace rport::plugins::acme {
namespace {

std::string flattened(const std::string& protectedB64, const std::string& payloadB64,
                      const std::string& signature) {
    return JsonObject()
        .string("protected", protectedB64)
        .string("payload", payloadB64)
        .string("signature", base64UrlEncode(signature))
        .text();
}

}  // namespace

std::string signedRequest(const AccountKey& key, const std::string& kid, const std::string& nonce,
                          const std::string& url, const std::string& payload) {
    JsonObject header;
    header.string("alg", "ES256");
    if (kid.empty())
        header.raw("jwk", key.jwk());
    else
        header.string("kid", kid);
    header.string("nonce", nonce).string("url", url);
    const std::string protectedB64 = base64UrlEncode(header.text());
    const std::string payloadB64 = payload.empty() ? std::string() : base64UrlEncode(payload);
    return flattened(protectedB64, payloadB64, key.sign(protectedB64 + "." + payloadB64));
}

std::string externalAccountBinding(const AccountKey& key, const std::string& eabKid,
                                   const std::string& macKey, const std::string& newAccountUrl) {
    // No nonce: the outer JWS is the one protected against replay.
    const std::string protectedB64 = base64UrlEncode(JsonObject()
                                                         .string("alg", "HS256")
                                                         .string("kid", eabKid)
                                                         .string("url", newAccountUrl)
                                                         .text());
    const std::string payloadB64 = base64UrlEncode(key.jwk());
    return flattened(protectedB64, payloadB64, hmacSha256(macKey, protectedB64 + "." + payloadB64));
}

std::string hmacSha256(const std::string& key, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t len = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                   reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
                   sizeof out, &len))
        throwOpenSsl("HMAC-SHA256");
    return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace rport::plugins::acme
