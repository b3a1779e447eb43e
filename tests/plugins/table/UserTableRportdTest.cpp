// The real rportd with the classic [api] auth_user_table/auth_group_table
// on SQLite: --create-tables makes the tables, the users in them log in
// (bcrypt or plaintext passwords), and their groups decide what they may do.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <rport/password.hpp>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "SqliteTestDatabase.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

std::string usersAuthSourceIn(const std::string& statusBody) {
    auto body = Poco::JSON::Parser().parse(statusBody).extract<Poco::JSON::Object::Ptr>();
    return body->getObject("data")->getValue<std::string>("users_auth_source");
}

void addUser(SqliteTestDatabase& db, const std::string& name, const std::string& password,
             bool expired, const std::string& group) {
    db.exec("INSERT INTO users (username, password, password_expired) VALUES ('" + name +
            "', '" + password + "', " + (expired ? "1" : "0") + ")");
    db.exec("INSERT INTO groups (username, `group`) VALUES ('" + name + "', '" + group + "')");
}

}  // namespace

class UserTableRportdTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(UserTableRportdTest);
    CPPUNIT_TEST(classicApiUserTablesServeTheirUsers);
    CPPUNIT_TEST_SUITE_END();

public:
    void classicApiUserTablesServeTheirUsers() {
        TempDir dir;
        SqliteTestDatabase db;
        const std::string config = dir.write(
            "rportd.conf", "[server]\naddress = \"127.0.0.1:0\"\nauth = \"c1:pw1\"\ndata_dir = \"" + dir.file("data") +
                               "\"\n[api]\naddress = \"127.0.0.1:0\"\n"
                               "auth_user_table = \"users\"\nauth_group_table = \"groups\"\n"
                               "[database]\ndb_type = \"sqlite\"\ndb_name = \"" +
                               db.path() + "\"\n");

        // Without the tables rportd refuses to start and says what to do.
        RunResult refused = runRportd({"-c", config, "--check-config"}, dir.path());
        CPPUNIT_ASSERT_MESSAGE(refused.output, refused.exitCode != 0);
        CPPUNIT_ASSERT_MESSAGE(refused.output,
                               refused.output.find("'users' is missing") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(refused.output,
                               refused.output.find("rportd --create-tables") != std::string::npos);

        RunResult created = runRportd({"-c", config, "--create-tables"}, dir.path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.output, 0, created.exitCode);
        auto hash = rport::sdk::password::hashBcrypt("pw", 4, "$2y$");
        CPPUNIT_ASSERT(hash);
        addUser(db, "admin", *hash, false, "Administrators");
        addUser(db, "viewer", "view-pw", false, "Users");  // plaintext, as the original allowed
        addUser(db, "stale", "stale-pw", true, "Administrators");

        RportdProcess rportd({"-c", config}, dir.path());
        const uint16_t port = rportd.waitForApiPort();

        HttpReply status = httpCall(port, "GET", "/api/v1/status", "admin", "pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(status.body, 200, status.status);
        CPPUNIT_ASSERT_EQUAL(std::string("DB"), usersAuthSourceIn(status.body));
        CPPUNIT_ASSERT(status.body.find("\"users_auth_source\":\"DB\"") != std::string::npos);

        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/clients-auth", "admin", "pw").status);
        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/status", "viewer", "view-pw").status);
        HttpReply denied = httpCall(port, "GET", "/api/v1/clients-auth", "viewer", "view-pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(denied.body, 403, denied.status);

        HttpReply expired = httpCall(port, "GET", "/api/v1/status", "stale", "stale-pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(expired.body, 401, expired.status);
        CPPUNIT_ASSERT(expired.body.find("password has expired") != std::string::npos);

        // Last, because a failed login locks the name out for a while.
        HttpReply wrong = httpCall(port, "GET", "/api/v1/status", "admin", "not-pw");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(wrong.body, 401, wrong.status);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/api/v1/status", "nobody", "pw").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(UserTableRportdTest);
