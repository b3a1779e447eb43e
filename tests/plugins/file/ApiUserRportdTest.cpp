// The real rportd with the classic [api] auth_file: it starts, the users in
// the file log in with their bcrypt passwords, and their groups decide what
// they may do.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <rport/password.hpp>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

std::string hashOf(const std::string& password) {
    auto hash = rport::sdk::password::hashBcrypt(password, 4, "$2y$");
    CPPUNIT_ASSERT(hash);
    return *hash;
}

std::string usersAuthSourceIn(const std::string& statusBody) {
    auto body = Poco::JSON::Parser().parse(statusBody).extract<Poco::JSON::Object::Ptr>();
    return body->getObject("data")->getValue<std::string>("users_auth_source");
}

}  // namespace

class ApiUserRportdTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiUserRportdTest);
    CPPUNIT_TEST(classicApiAuthFileServesItsUsers);
    CPPUNIT_TEST_SUITE_END();

public:
    void classicApiAuthFileServesItsUsers() {
        TempDir dir;
        const std::string users =
            dir.write("users.json",
                      "[\n {\"username\": \"admin\", \"password\": \"" + hashOf("pw") +
                          "\", \"groups\": [\"Administrators\"]},\n"
                          " {\"username\": \"viewer\", \"password\": \"" +
                          hashOf("view-pw") + "\", \"groups\": [\"Users\"]},\n"
                          " {\"username\": \"stale\", \"password\": \"" + hashOf("stale-pw") +
                          "\", \"groups\": [\"Administrators\"], \"password_expired\": true}\n]\n",
                      0600);
        const std::string config =
            dir.write("rportd.conf",
                      "[server]\naddress = \"127.0.0.1:0\"\nauth = \"c1:pw1\"\ndata_dir = \"" + dir.file("data") +
                          "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth_file = \"" + users + "\"\n");
        RportdProcess rportd({"-c", config}, dir.path());
        const uint16_t port = rportd.waitForApiPort();

        HttpReply status = httpCall(port, "GET", "/api/v1/status", "admin", "pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(status.body, 200, status.status);
        CPPUNIT_ASSERT_EQUAL(std::string("File"), usersAuthSourceIn(status.body));

        // Groups come from the file: only Administrators may manage client credentials.
        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/clients-auth", "admin", "pw").status);
        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/status", "viewer", "view-pw").status);
        HttpReply denied = httpCall(port, "GET", "/api/v1/clients-auth", "viewer", "view-pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(denied.body, 403, denied.status);

        // The right password of a user who must change it first.
        HttpReply expired = httpCall(port, "GET", "/api/v1/status", "stale", "stale-pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(expired.body, 401, expired.status);
        CPPUNIT_ASSERT(expired.body.find("password has expired") != std::string::npos);

        // Last, because a failed login locks the name out for a while.
        HttpReply wrong = httpCall(port, "GET", "/api/v1/status", "admin", "not-pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(wrong.body, 401, wrong.status);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/api/v1/status", "nobody", "pw").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiUserRportdTest);
