#include "auth/JsonWebToken.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>

#include "util/JsonText.h"
#include "util/JsonWriter.h"

namespace rportd::auth {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// The only header this server writes and accepts. Reading it as JSON rather
// than comparing bytes would let "alg" be spelled in ways nobody needs.
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

std::string_view trimSlashes(std::string_view path) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    return path;
}

bool scopeMatches(const TokenScope& scope, std::string_view method, std::string_view path) {
    bool methodOk = scope.method == "*" || scope.method == method;
    bool uriOk = scope.uri == "*" || trimSlashes(scope.uri) == path;
    return methodOk && uriOk;
}

// An integer JSON number, as written by this server (no fraction, no exponent).
std::optional<int64_t> integerValue(std::string_view text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::vector<TokenScope>> readScopes(std::string_view array) {
    namespace json = util::json;
    if (json::kindOf(array) == json::Kind::Null) return std::vector<TokenScope>{};
    if (json::kindOf(array) != json::Kind::Array) return std::nullopt;
    std::vector<TokenScope> scopes;
    for (std::string_view element : json::elements(array)) {
        if (json::kindOf(element) != json::Kind::Object) return std::nullopt;
        TokenScope scope;
        for (const auto& [name, value] : json::members(element)) {
            if (name == "uri" && json::kindOf(value) == json::Kind::String) {
                scope.uri = json::decodeString(value);
            } else if (name == "method" && json::kindOf(value) == json::Kind::String) {
                scope.method = json::decodeString(value);
            } else if (name == "exclude" && json::kindOf(value) == json::Kind::Bool) {
                scope.exclude = value == "true";
            } else {
                return std::nullopt;
            }
        }
        scopes.push_back(std::move(scope));
    }
    return scopes;
}

// Claims this server wrote; anything else (unknown names, wrong types,
// repeated names) is not ours.
std::optional<TokenClaims> readClaims(std::string_view object, std::string& reason) {
    namespace json = util::json;
    TokenClaims claims;
    std::vector<std::string> seen;
    for (const auto& [name, value] : json::members(object)) {
        for (const std::string& s : seen)
            if (s == name) {
                reason = "a claim appears twice";
                return std::nullopt;
            }
        seen.push_back(name);
        json::Kind kind = json::kindOf(value);
        if (name == "username" && kind == json::Kind::String) {
            claims.username = json::decodeString(value);
        } else if (name == "jti" && kind == json::Kind::String) {
            claims.jti = json::decodeString(value);
        } else if ((name == "sessionID" || name == "iat" || name == "exp") &&
                   kind == json::Kind::Number) {
            auto n = integerValue(value);
            if (!n) {
                reason = "claim " + name + " is not an integer";
                return std::nullopt;
            }
            (name == "sessionID" ? claims.sessionId
             : name == "iat"     ? claims.issuedAt
                                 : claims.expiresAt) = *n;
        } else if (name == "scopes") {
            auto scopes = readScopes(value);
            if (!scopes) {
                reason = "claim scopes is malformed";
                return std::nullopt;
            }
            claims.scopes = std::move(*scopes);
        } else {
            reason = "unexpected claim";
            return std::nullopt;
        }
    }
    if (claims.username.empty()) {
        reason = "no username";
        return std::nullopt;
    }
    return claims;
}

}  // namespace

std::vector<TokenScope> fullLoginScopes() {
    return {TokenScope{"*", "*", false}, TokenScope{"/api/v1/verify-2fa", "*", true}};
}

bool scopesAllow(const std::vector<TokenScope>& scopes, std::string_view method,
                 std::string_view path) {
    if (scopes.empty()) return true;
    path = trimSlashes(path);
    bool included = false;
    for (const TokenScope& scope : scopes) {
        if (!scopeMatches(scope, method, path)) continue;
        if (scope.exclude) return false;
        included = true;
    }
    return included;
}

std::string base64UrlEncode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    size_t i = 0;
    auto byte = [&](size_t k) {
        return static_cast<unsigned>(static_cast<unsigned char>(bytes[k]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += kAlphabet[v >> 6 & 63];
        out += kAlphabet[v & 63];
    }
    if (bytes.size() - i == 1) {
        unsigned v = byte(i) << 16;
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
    } else if (bytes.size() - i == 2) {
        unsigned v = byte(i) << 16 | byte(i + 1) << 8;
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += kAlphabet[v >> 6 & 63];
    }
    return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v = sextet(c);
        if (v < 0) return std::nullopt;
        buffer = (buffer << 6 | static_cast<unsigned>(v)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(buffer >> bits & 0xff);
        }
    }
    // Leftover bits must be zero, so that every byte string has one spelling.
    if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

std::string randomTokenSecret() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for the JWT secret");
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    OPENSSL_cleanse(bytes, sizeof bytes);
    return out;
}

TokenSigner::TokenSigner(std::string secret) : _secret(std::move(secret)) {}

TokenSigner::~TokenSigner() { OPENSSL_cleanse(_secret.data(), _secret.size()); }

std::string TokenSigner::mac(std::string_view signingInput) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), _secret.data(), static_cast<int>(_secret.size()),
              reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size(),
              digest, &length))
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string TokenSigner::sign(const TokenClaims& claims) const {
    util::JsonWriter w;
    w.beginObject().key("username").value(claims.username).key("sessionID").value(claims.sessionId);
    w.key("scopes").beginArray();
    for (const TokenScope& s : claims.scopes) {
        w.beginObject().key("uri").value(s.uri).key("method").value(s.method);
        if (s.exclude) w.key("exclude").value(true);
        w.endObject();
    }
    w.endArray().key("jti").value(claims.jti);
    if (claims.issuedAt) w.key("iat").value(claims.issuedAt);
    if (claims.expiresAt) w.key("exp").value(claims.expiresAt);
    w.endObject();
    std::string input = base64UrlEncode(kHeader) + "." + base64UrlEncode(w.str());
    return input + "." + base64UrlEncode(mac(input));
}

TokenSigner::Reading TokenSigner::read(std::string_view token, int64_t nowUnixSeconds) const {
    Reading r;
    size_t first = token.find('.');
    size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        r.reason = "a JWT has three segments separated by '.'";
        return r;
    }
    auto header = base64UrlDecode(token.substr(0, first));
    auto payload = base64UrlDecode(token.substr(first + 1, second - first - 1));
    auto signature = base64UrlDecode(token.substr(second + 1));
    if (!header || !payload || !signature) {
        r.reason = "a segment is not base64url";
        return r;
    }
    for (const std::string* part : {&*header, &*payload}) {
        try {
            util::json::validate(*part);
        } catch (const std::invalid_argument&) {
            r.reason = "a segment is not JSON";
            return r;
        }
        if (util::json::kindOf(*part) != util::json::Kind::Object) {
            r.reason = "a segment is not a JSON object";
            return r;
        }
    }

    // From here on the text is a JWT: whatever is wrong with it, someone made it.
    r.verdict = Verdict::Forged;
    std::string expected = mac(token.substr(0, second));
    if (signature->size() != expected.size() ||
        CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
        r.reason = "signature is invalid";
        return r;
    }
    if (util::json::compact(*header) != kHeader) {
        r.reason = "unexpected header";
        return r;
    }
    auto claims = readClaims(*payload, r.reason);
    if (!claims) return r;
    r.claims = std::move(*claims);
    if (r.claims.expiresAt != 0 && r.claims.expiresAt <= nowUnixSeconds) {
        r.verdict = Verdict::Expired;
        r.reason = "expired";
        return r;
    }
    r.verdict = Verdict::Valid;
    r.reason.clear();
    return r;
}

}  // namespace rportd::auth
