// ApiAuthenticator's /logout (revoke): which tokens end a session, and the
// 400 every other token gets.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

#include "TestAuthenticator.h"
#include "api/ApiError.h"

using namespace rportd::api;

namespace {

class OneUser : public ApiUserDirectory {
public:
    Result authenticate(std::string_view name, std::string_view password, ApiUser& user) override {
        if (name != "admin" || password != "foobaz") return Result::Rejected;
        user = ApiUser{"admin", {"Administrators"}};
        return Result::Authenticated;
    }
    Result lookup(std::string_view name, ApiUser& user) override {
        if (name != "admin") return Result::Rejected;
        user = ApiUser{"admin", {"Administrators"}};
        return Result::Authenticated;
    }
};

rportd::http::HttpRequest logoutWith(const std::string& token) {
    rportd::http::HttpRequest request;
    request.method = "DELETE";
    request.target = "/api/v1/logout";
    request.headers.emplace_back("Authorization", "Bearer " + token);
    request.peerAddress = "127.0.0.1";
    return request;
}

// The status and code revoke() refused with; 0 and "" when it did not.
std::pair<int, std::string> revokeOutcome(ApiAuthenticator& auth, const std::string& token) {
    try {
        auth.revoke(logoutWith(token), "127.0.0.1");
        return {0, ""};
    } catch (const ApiError& e) {
        return {e.status(), e.code()};
    }
}

}  // namespace

class ApiAuthenticatorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiAuthenticatorTest);
    CPPUNIT_TEST(logoutEndsALiveSessionOnce);
    CPPUNIT_TEST(logoutRefusesATokenWhoseSessionExpired);
    CPPUNIT_TEST_SUITE_END();

    OneUser users;

    std::string loginToken(rport::test::TestAuthenticator& t, int64_t lifetimeSeconds) {
        ApiUser user = t.auth.checkPassword("admin", "foobaz", "127.0.0.1");
        return t.auth.issueToken(user, lifetimeSeconds, logoutWith(""), "127.0.0.1");
    }

public:
    void logoutEndsALiveSessionOnce() {
        rport::test::TestAuthenticator t(users);
        const std::string token = loginToken(t, 600);
        CPPUNIT_ASSERT_EQUAL(size_t(1), t.sessions.size());
        CPPUNIT_ASSERT_EQUAL(0, revokeOutcome(t.auth, token).first);
        CPPUNIT_ASSERT_EQUAL(size_t(0), t.sessions.size());
        auto again = revokeOutcome(t.auth, token);
        CPPUNIT_ASSERT_EQUAL(400, again.first);
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeInvalidToken), again.second);
    }

    // Found by the bad-input suite: a token whose session had expired (but
    // had not been swept yet) was revoked with 204 instead of refused.
    void logoutRefusesATokenWhoseSessionExpired() {
        rport::test::TestAuthenticator t(users);
        const std::string token = loginToken(t, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        auto outcome = revokeOutcome(t.auth, token);
        CPPUNIT_ASSERT_EQUAL(400, outcome.first);
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeInvalidToken), outcome.second);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiAuthenticatorTest);
