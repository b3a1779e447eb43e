// Fuzzing auth::TokenSigner::read, which reads the bearer token of every API
// request before anything else is known about its sender. An input starting
// with '{' is a header and a payload (the JSON texts, split at the first
// newline), signed here with the reader's secret so that the claims reader
// behind the signature check is reached; any other input is the token as
// sent. Tokens are read with a fixed secret at a fixed time. The checks besides
// the sanitizers: a token read as Valid or Expired has a payload that signs
// again into a token that reads back the same (once the writer has made its
// strings UTF-8), and base64url decoding is the
// exact inverse of encoding (strict: one text per byte string).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "FuzzEntry.h"
#include "auth/JsonWebToken.h"
#include "util/Utf8.h"

using namespace rportd::auth;
using rportd::util::isUtf8;

namespace {

constexpr int64_t kNow = 1700000000;
constexpr std::string_view kSecret = "fuzzing secret";

// header.payload signed with kSecret, as only the server could.
std::string signedToken(std::string_view header, std::string_view payload) {
    std::string input = base64UrlEncode(header) + "." + base64UrlEncode(payload);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
              reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &length))
        abort();
    return input + "." + base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), length));
}

bool sameClaims(const TokenClaims& a, const TokenClaims& b) {
    if (a.username != b.username || a.sessionId != b.sessionId || a.jti != b.jti ||
        a.issuedAt != b.issuedAt || a.expiresAt != b.expiresAt ||
        a.scopes.size() != b.scopes.size())
        return false;
    for (size_t i = 0; i < a.scopes.size(); ++i)
        if (a.scopes[i].uri != b.scopes[i].uri || a.scopes[i].method != b.scopes[i].method ||
            a.scopes[i].exclude != b.scopes[i].exclude)
            return false;
    return true;
}

bool utf8Claims(const TokenClaims& claims) {
    if (!isUtf8(claims.username) || !isUtf8(claims.jti)) return false;
    for (const TokenScope& scope : claims.scopes)
        if (!isUtf8(scope.uri) || !isUtf8(scope.method)) return false;
    return true;
}

}  // namespace

int rportFuzzJsonWebToken(const uint8_t* data, size_t size) {
    static const TokenSigner signer{std::string(kSecret)};
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string token(text);
    if (!text.empty() && text[0] == '{') {
        size_t newline = text.find('\n');
        if (newline == std::string_view::npos) return 0;
        token = signedToken(text.substr(0, newline), text.substr(newline + 1));
    }

    if (std::optional<std::string> decoded = base64UrlDecode(text))
        if (base64UrlEncode(*decoded) != text) abort();
    if (base64UrlDecode(base64UrlEncode(text)) != std::string(text)) abort();

    TokenSigner::Reading reading = signer.read(token, kNow);
    switch (reading.verdict) {
        case TokenSigner::Verdict::Valid:
        case TokenSigner::Verdict::Expired: {
            TokenSigner::Reading again = signer.read(signer.sign(reading.claims), kNow);
            if (again.verdict != reading.verdict) abort();
            // The writer replaces bytes that are not UTF-8 (only a token
            // signed by someone else can carry them): from then on the
            // claims are stable.
            if (utf8Claims(reading.claims)
                    ? !sameClaims(again.claims, reading.claims)
                    : !sameClaims(signer.read(signer.sign(again.claims), kNow).claims,
                                  again.claims))
                abort();
            break;
        }
        case TokenSigner::Verdict::Malformed:
        case TokenSigner::Verdict::Forged:
            if (reading.reason.empty()) abort();
            break;
    }
    // The token's scopes decide nothing unless it was valid, but the matcher
    // sees whatever a valid token carried.
    scopesAllow(reading.claims.scopes, "GET", text.substr(0, 64));
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzJsonWebToken(data, size);
}
#endif
