#pragma once
// The API's bearer tokens: compact JWS (RFC 7515) with HS256 over the
// original's claims (username, sessionID, scopes, jti), plus iat and exp,
// which the original leaves out.
//
// Reading a token answers three different things, because the API answers
// them differently: text that is not a JWT at all (wrong number of segments,
// bad base64url, not a JSON object; the original web UI sends
// "Bearer undefined") is a malformed request (400); a well-formed token with
// a wrong signature, another algorithm or bad claims is forged (401); a good
// token whose exp has passed is expired (401).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rportd::auth {

struct TokenScope {
    std::string uri;
    std::string method;
    bool exclude = false;
};

struct TokenClaims {
    std::string username;
    int64_t sessionId = 0;
    std::vector<TokenScope> scopes;
    std::string jti;
    int64_t issuedAt = 0;   // unix seconds
    int64_t expiresAt = 0;  // unix seconds; 0: none (tokens of the original)
};

// The scopes of an ordinary login, as the original grants them: everything
// except the second-factor check.
std::vector<TokenScope> fullLoginScopes();

// Whether a request may use a token with these scopes (the original's rule):
// the path, with one leading '/' and no trailing '/', matches a non-exclude
// scope and no exclude scope; "*" matches any uri or method; a token without
// scopes matches everything.
bool scopesAllow(const std::vector<TokenScope>& scopes, std::string_view method,
                 std::string_view path);

class TokenSigner {
public:
    // secret: [api] jwt_secret as written (its bytes are the HMAC key).
    explicit TokenSigner(std::string secret);
    ~TokenSigner();
    TokenSigner(const TokenSigner&) = delete;
    TokenSigner& operator=(const TokenSigner&) = delete;

    std::string sign(const TokenClaims& claims) const;

    enum class Verdict { Valid, Malformed, Forged, Expired };
    struct Reading {
        Verdict verdict = Verdict::Malformed;
        TokenClaims claims;  // filled for Valid and Expired
        std::string reason;  // for logs and error details; never contains the token
    };
    Reading read(std::string_view token, int64_t nowUnixSeconds) const;

private:
    std::string mac(std::string_view signingInput) const;
    std::string _secret;
};

// base64url without padding (RFC 7515 section 2), strict: any other
// character, padding or non-zero spare bits make the text invalid.
std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);

// A secret for an unset [api] jwt_secret: 32 random bytes as 64 hex digits.
std::string randomTokenSecret();

}  // namespace rportd::auth
