#include <cppunit/extensions/HelperMacros.h>

#include "auth/JsonWebToken.h"

using namespace rportd::auth;

namespace {

TokenClaims someClaims() {
    TokenClaims c;
    c.username = "admin";
    c.sessionId = 7;
    c.scopes = fullLoginScopes();
    c.jti = "123";
    c.issuedAt = 1000;
    c.expiresAt = 2000;
    return c;
}

// Replaces the payload of a signed token (keeping its signature).
std::string withPayload(const std::string& token, const std::string& json) {
    size_t first = token.find('.');
    size_t second = token.find('.', first + 1);
    return token.substr(0, first + 1) + base64UrlEncode(json) + token.substr(second);
}

}  // namespace

class JsonWebTokenTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonWebTokenTest);
    CPPUNIT_TEST(signedTokensReadBack);
    CPPUNIT_TEST(readsTheOriginalsTokens);
    CPPUNIT_TEST(notAJwtIsMalformed);
    CPPUNIT_TEST(anotherSecretOrAlteredPartsAreForged);
    CPPUNIT_TEST(algNoneIsForged);
    CPPUNIT_TEST(expiryIsChecked);
    CPPUNIT_TEST(base64UrlIsStrict);
    CPPUNIT_TEST(scopesFollowTheOriginalsRule);
    CPPUNIT_TEST(randomSecretsDiffer);
    CPPUNIT_TEST_SUITE_END();

public:
    void signedTokensReadBack() {
        TokenSigner signer("secret");
        auto r = signer.read(signer.sign(someClaims()), 1500);
        CPPUNIT_ASSERT(r.verdict == TokenSigner::Verdict::Valid);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), r.claims.username);
        CPPUNIT_ASSERT_EQUAL(int64_t(7), r.claims.sessionId);
        CPPUNIT_ASSERT_EQUAL(size_t(2), r.claims.scopes.size());
        CPPUNIT_ASSERT(r.claims.scopes[1].exclude);
        CPPUNIT_ASSERT_EQUAL(std::string("123"), r.claims.jti);
        CPPUNIT_ASSERT_EQUAL(int64_t(1000), r.claims.issuedAt);
        CPPUNIT_ASSERT_EQUAL(int64_t(2000), r.claims.expiresAt);
    }

    // A token the original rportd (../shared/interop, 0.9.13) issued with
    // jwt_secret "s3cret": a data_dir and its sessions move over together,
    // and what we sign has the original's header and claims, byte for byte.
    void readsTheOriginalsTokens() {
        const std::string original =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            "eyJ1c2VybmFtZSI6ImFkbWluIiwic2Vzc2lvbklEIjoxLCJzY29wZXMiOlt7InVya"
            "SI6IioiLCJtZXRob2QiOiIqIn0seyJ1cmkiOiIvYXBpL3YxL3ZlcmlmeS0yZmEiLCJtZXRob2QiOiIqIiwiZXh"
            "jbHVkZSI6dHJ1ZX1"
            "dLCJqdGkiOiIxNzk3NjI0NTg1Mjk2NjgxMzc0OSJ9.iRicIiYe5B2VgHs4r_1XgyVvjn3Qm-J12lsYJCvg-yM";
        TokenSigner signer("s3cret");
        auto r = signer.read(original, 1'900'000'000);
        CPPUNIT_ASSERT(r.verdict == TokenSigner::Verdict::Valid);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), r.claims.username);
        CPPUNIT_ASSERT_EQUAL(int64_t(1), r.claims.sessionId);
        CPPUNIT_ASSERT_EQUAL(std::string("17976245852966813749"), r.claims.jti);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), r.claims.expiresAt);
        // Signing the same claims gives the same token.
        CPPUNIT_ASSERT_EQUAL(original, signer.sign(r.claims));
        CPPUNIT_ASSERT(TokenSigner("other").read(original, 0).verdict ==
                       TokenSigner::Verdict::Forged);
    }

    void notAJwtIsMalformed() {
        TokenSigner signer("secret");
        for (const char* text : {"undefined", "", "a.b", "a.b.c.d", "!!!.e30.AAAA", "e30.e30",
                                 "bnVsbA.e30.AAAA", "e30.W10.AAAA", "e30.e30.A", "e30.eyJh.AAAA"}) {
            auto r = signer.read(text, 0);
            CPPUNIT_ASSERT_MESSAGE(text, r.verdict == TokenSigner::Verdict::Malformed);
            CPPUNIT_ASSERT(!r.reason.empty());
        }
    }

    void anotherSecretOrAlteredPartsAreForged() {
        TokenSigner signer("secret");
        TokenSigner other("other");
        std::string token = signer.sign(someClaims());
        CPPUNIT_ASSERT(other.read(token, 1500).verdict == TokenSigner::Verdict::Forged);
        std::string promoted = withPayload(token, R"({"username":"root","sessionID":7,"jti":"1"})");
        CPPUNIT_ASSERT(signer.read(promoted, 1500).verdict == TokenSigner::Verdict::Forged);
        std::string cut = token.substr(0, token.size() - 2);
        auto r = signer.read(cut, 1500);
        CPPUNIT_ASSERT(r.verdict == TokenSigner::Verdict::Forged ||
                       r.verdict == TokenSigner::Verdict::Malformed);
        CPPUNIT_ASSERT(r.verdict != TokenSigner::Verdict::Valid);
    }

    void algNoneIsForged() {
        TokenSigner signer("secret");
        std::string token = base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                            base64UrlEncode(R"({"username":"admin","sessionID":7,"jti":"1"})") +
                            ".";
        CPPUNIT_ASSERT(signer.read(token, 0).verdict == TokenSigner::Verdict::Forged);
    }

    void expiryIsChecked() {
        TokenSigner signer("secret");
        std::string token = signer.sign(someClaims());
        CPPUNIT_ASSERT(signer.read(token, 1999).verdict == TokenSigner::Verdict::Valid);
        auto r = signer.read(token, 2000);
        CPPUNIT_ASSERT(r.verdict == TokenSigner::Verdict::Expired);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), r.claims.username);
    }

    void base64UrlIsStrict() {
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9v"), base64UrlEncode("foo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm8"), base64UrlEncode("fo"));
        CPPUNIT_ASSERT_EQUAL(std::string("_-8"), base64UrlEncode("\xff\xef"));
        CPPUNIT_ASSERT_EQUAL(std::string("fo"), *base64UrlDecode("Zm8"));
        CPPUNIT_ASSERT(!base64UrlDecode("Zm8="));  // padding
        CPPUNIT_ASSERT(!base64UrlDecode("Zm9"));   // spare bits set
        CPPUNIT_ASSERT(!base64UrlDecode("Z"));     // impossible length
        CPPUNIT_ASSERT(!base64UrlDecode("Zm+v"));  // standard alphabet
    }

    void scopesFollowTheOriginalsRule() {
        auto full = fullLoginScopes();
        CPPUNIT_ASSERT(scopesAllow(full, "GET", "/api/v1/status"));
        CPPUNIT_ASSERT(!scopesAllow(full, "POST", "/api/v1/verify-2fa"));
        CPPUNIT_ASSERT(!scopesAllow(full, "POST", "/api/v1/verify-2fa/"));
        CPPUNIT_ASSERT(scopesAllow({}, "DELETE", "/anything"));
        std::vector<TokenScope> only{{"/api/v1/verify-2fa", "POST", false}};
        CPPUNIT_ASSERT(scopesAllow(only, "POST", "/api/v1/verify-2fa"));
        CPPUNIT_ASSERT(!scopesAllow(only, "GET", "/api/v1/verify-2fa"));
        CPPUNIT_ASSERT(!scopesAllow(only, "POST", "/api/v1/status"));
    }

    void randomSecretsDiffer() {
        std::string a = randomTokenSecret();
        CPPUNIT_ASSERT_EQUAL(size_t(64), a.size());
        CPPUNIT_ASSERT(a != randomTokenSecret());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonWebTokenTest);
