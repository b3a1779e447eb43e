// Bearer tokens and login protection, end to end, against the real rportd
// with each API user store (LOGIN_BACKEND: static, file, sqlite, mariadb):
// /login (GET with Basic, POST with JSON or a form), bearer use, /me,
// expiry, logout, token-lifetime limits, 400 vs 401 for bad tokens, 403
// for a non-administrator, 429 during the login wait, 423 for a banned
// address (X-Forwarded-For believed from the trusted proxy only), the
// fail2ban log lines, and tokens that survive a restart.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <rport/password.hpp>
#include <thread>

#include "HttpCall.h"
#include "MariaDbServer.h"
#include "RportdProcess.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string bcrypt(const std::string& password) {
    auto hash = rport::sdk::password::hashBcrypt(password, 4, "$2y$");
    if (!hash) throw std::runtime_error("bcrypt failed");
    return *hash;
}

void sqliteExec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string why = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + why);
}

std::string usersSql() {
    return "INSERT INTO users (username, password) VALUES ('admin', '" + bcrypt("foobaz") +
           "'), ('viewer', '" + bcrypt("view-pw") +
           "');INSERT INTO `groups` (username, `group`) VALUES ('admin', 'Administrators'), "
           "('viewer', 'Users');";
}

// What every backend shares: login wait 1 s, a ban after 3 failures for
// 2 s, a fixed secret, and 127.0.0.1 as the trusted proxy.
const char* kApiProtection =
    "user_login_wait = 1\nmax_failed_login = 3\nban_time = 2\njwt_secret = \"a test secret\"\n"
    "trusted_proxies = [\"127.0.0.1\"]\n";

std::string tokenOf(const HttpReply& reply) {
    auto body = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    return body->getObject("data")->getValue<std::string>("token");
}

Headers bearer(const std::string& token, const std::string& from = "") {
    Headers h{{"Authorization", "Bearer " + token}};
    if (!from.empty()) h.emplace_back("X-Forwarded-For", from);
    return h;
}

Headers basic(const std::string& user, const std::string& password, const std::string& from = "") {
    Headers h;
    std::string raw = user + ":" + password;
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string b64;
    for (size_t i = 0; i < raw.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(raw[i]) << 16;
        if (i + 1 < raw.size()) v |= static_cast<unsigned char>(raw[i + 1]) << 8;
        if (i + 2 < raw.size()) v |= static_cast<unsigned char>(raw[i + 2]);
        b64 += alphabet[v >> 18 & 63];
        b64 += alphabet[v >> 12 & 63];
        b64 += i + 1 < raw.size() ? alphabet[v >> 6 & 63] : '=';
        b64 += i + 2 < raw.size() ? alphabet[v & 63] : '=';
    }
    h.emplace_back("Authorization", "Basic " + b64);
    if (!from.empty()) h.emplace_back("X-Forwarded-For", from);
    return h;
}

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

class ApiLoginScenarioTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiLoginScenarioTest);
    CPPUNIT_TEST(tokensAndProtection);
    CPPUNIT_TEST_SUITE_END();

    const std::string backend = LOGIN_BACKEND;
    TempDir dir;
    std::unique_ptr<MariaDbServer> mariadb;
    std::string config;

    // Writes rportd.conf and the user store; false when the store cannot run here.
    bool prepare() {
        std::string api = "[api]\naddress = \"127.0.0.1:0\"\n" + std::string(kApiProtection);
        std::string more;
        if (backend == "static") {
            api += "auth = \"admin:foobaz\"\n";
        } else if (backend == "file") {
            dir.write(
                "users.json",
                "[{\"username\":\"admin\",\"password\":\"" + bcrypt("foobaz") +
                    "\",\"groups\":[\"Administrators\"]},{\"username\":\"viewer\",\"password\":\"" +
                    bcrypt("view-pw") + "\",\"groups\":[\"Users\"]}]");
            api += "auth_file = \"" + dir.file("users.json") + "\"\n";
        } else if (backend == "sqlite") {
            api += "auth_user_table = \"users\"\nauth_group_table = \"groups\"\n";
            more = "[database]\ndb_type = \"sqlite\"\ndb_name = \"" + dir.file("users.db") + "\"\n";
        } else {
            if (!MariaDbServer::installed()) return false;
            mariadb = std::make_unique<MariaDbServer>();
            api += "auth_user_table = \"users\"\nauth_group_table = \"groups\"\n";
            more = "[database]\ndb_type = \"mysql\"\ndb_host = \"" + mariadb->hostPort() +
                   "\"\ndb_user = \"" + mariadb->user() + "\"\ndb_password = \"" +
                   mariadb->password() + "\"\ndb_name = \"" + mariadb->database() + "\"\n";
        }
        config = dir.write("rportd.conf",
                           "[server]\naddress = \"127.0.0.1:0\"\nauth = \"c1:pw1\"\ndata_dir = \"" +
                               dir.file("data") + "\"\n" + api + more);
        if (backend == "sqlite" || backend == "mariadb") {
            RunResult created = runRportd({"-c", config, "--create-tables"}, dir.path());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(created.output, 0, created.exitCode);
            if (backend == "sqlite")
                sqliteExec(dir.file("users.db"), usersSql());
            else
                mariadb->execRoot("USE `" + mariadb->database() + "`;" + usersSql());
        }
        return true;
    }

    void loginAndBearerUse(uint16_t port, RportdProcess& rportd) {
        HttpReply login = httpCall(port, "GET", "/api/v1/login", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(login.body, 200, login.status);
        CPPUNIT_ASSERT_MESSAGE(login.body, login.body.find("\"two_fa\":null") != std::string::npos);
        const std::string token = tokenOf(login);
        CPPUNIT_ASSERT_EQUAL(size_t(2), size_t(std::count(token.begin(), token.end(), '.')));

        HttpReply status = httpCallWithHeaders(port, "GET", "/api/v1/status", bearer(token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(status.body, 200, status.status);
        HttpReply me = httpCallWithHeaders(port, "GET", "/api/v1/me", bearer(token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(me.body, 200, me.status);
        CPPUNIT_ASSERT_MESSAGE(me.body,
                               me.body.find("\"username\":\"admin\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            me.body, me.body.find("\"groups\":[\"Administrators\"]") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(
            200, httpCallWithHeaders(port, "GET", "/api/v1/clients-auth", bearer(token)).status);
        // Basic wins over Bearer when both are sent, as in the original.
        Headers both = basic("admin", "foobaz");
        both.emplace_back("Authorization", "Bearer nonsense");
        CPPUNIT_ASSERT_EQUAL(200, httpCallWithHeaders(port, "GET", "/api/v1/status", both).status);

        // Not a JWT at all: a malformed request, not a failed login (the web UI sends this).
        HttpReply undefinedToken =
            httpCallWithHeaders(port, "GET", "/api/v1/status", bearer("undefined"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(undefinedToken.body, 400, undefinedToken.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_INVALID_REQUEST"),
                             errorField(undefinedToken.body, "code"));
        CPPUNIT_ASSERT(undefinedToken.header("WWW-Authenticate").find("invalid_request") !=
                       std::string::npos);
        // A forged one is 401.
        std::string forged = token;
        forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
        HttpReply forgedReply =
            httpCallWithHeaders(port, "GET", "/api/v1/status", bearer(forged, "192.0.2.50"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(forgedReply.body, 401, forgedReply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_INVALID_TOKEN"),
                             errorField(forgedReply.body, "code"));

        // POST /login, JSON and form; the original's exact content types only.
        HttpReply json =
            httpCall(port, "POST", "/api/v1/login", "", "",
                     R"({"username":"admin","password":"foobaz"})", "application/json");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(json.body, 200, json.status);
        HttpReply form =
            httpCall(port, "POST", "/api/v1/login?token-lifetime=3600", "", "",
                     "username=admin&password=foobaz", "application/x-www-form-urlencoded");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(form.body, 200, form.status);
        HttpReply charset = httpCall(port, "POST", "/api/v1/login", "", "",
                                     R"({"username":"admin","password":"foobaz"})",
                                     "application/json; charset=utf-8");
        CPPUNIT_ASSERT_EQUAL(400, charset.status);
        CPPUNIT_ASSERT(errorField(charset.body, "title").find("unsupported content type") !=
                       std::string::npos);
        HttpReply noAuth = httpCall(port, "GET", "/api/v1/login");
        CPPUNIT_ASSERT_EQUAL(401, noAuth.status);
        CPPUNIT_ASSERT_EQUAL(std::string("auth is required"), errorField(noAuth.body, "title"));

        // token-lifetime limits (checked after the password, as in the original).
        HttpReply notNumber =
            httpCall(port, "GET", "/api/v1/login?token-lifetime=abc", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(400, notNumber.status);
        CPPUNIT_ASSERT(errorField(notNumber.body, "title").find("invalid token-lifetime") !=
                       std::string::npos);
        HttpReply tooLong =
            httpCall(port, "GET", "/api/v1/login?token-lifetime=7776001", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(400, tooLong.status);
        CPPUNIT_ASSERT_EQUAL(std::string("requested token lifetime exceeds max allowed 7776000"),
                             errorField(tooLong.body, "title"));

        // A session that is not used within its lifetime ends.
        std::string shortLived =
            tokenOf(httpCall(port, "GET", "/api/v1/login?token-lifetime=1", "admin", "foobaz"));
        sleepMs(1300);
        HttpReply expired = httpCallWithHeaders(port, "GET", "/api/v1/status", bearer(shortLived));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(expired.body, 401, expired.status);

        // Logout revokes; a second logout and a missing token are 400, as in the original.
        std::string other = tokenOf(json);
        HttpReply logout = httpCallWithHeaders(port, "DELETE", "/api/v1/logout", bearer(other));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(logout.body, 204, logout.status);
        CPPUNIT_ASSERT_EQUAL(
            401, httpCallWithHeaders(port, "GET", "/api/v1/status", bearer(other)).status);
        CPPUNIT_ASSERT_EQUAL(
            400, httpCallWithHeaders(port, "DELETE", "/api/v1/logout", bearer(other)).status);
        CPPUNIT_ASSERT_EQUAL(400, httpCall(port, "DELETE", "/api/v1/logout").status);
        // The first token is untouched.
        CPPUNIT_ASSERT_EQUAL(
            200, httpCallWithHeaders(port, "GET", "/api/v1/status", bearer(token)).status);

        if (backend != "static") {
            std::string viewer =
                tokenOf(httpCall(port, "GET", "/api/v1/login", "viewer", "view-pw"));
            HttpReply denied =
                httpCallWithHeaders(port, "GET", "/api/v1/clients-auth", bearer(viewer));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(denied.body, 403, denied.status);
            CPPUNIT_ASSERT_EQUAL(
                200, httpCallWithHeaders(port, "GET", "/api/v1/me", bearer(viewer)).status);
        }
        (void)rportd;
    }

    void loginWaitAndBans(uint16_t port, RportdProcess& rportd) {
        // A wrong password: that name waits at that address (429 with
        // Retry-After), even with the right password; elsewhere it may log in.
        const std::string a = "198.51.100.1";
        CPPUNIT_ASSERT_EQUAL(
            401,
            httpCallWithHeaders(port, "GET", "/api/v1/status", basic("admin", "wrong", a)).status);
        HttpReply waiting =
            httpCallWithHeaders(port, "GET", "/api/v1/status", basic("admin", "foobaz", a));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(waiting.body, 429, waiting.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_TOO_MANY_REQUESTS"),
                             errorField(waiting.body, "code"));
        CPPUNIT_ASSERT(!waiting.header("Retry-After").empty());
        CPPUNIT_ASSERT_EQUAL(
            200,
            httpCallWithHeaders(port, "GET", "/api/v1/status", basic("admin", "foobaz")).status);
        CPPUNIT_ASSERT_MESSAGE(
            rportd.output(),
            rportd.waitForOutput(
                "security: failed login from 198.51.100.1 to the API as \"admin\""));
        sleepMs(1100);
        CPPUNIT_ASSERT_EQUAL(
            200,
            httpCallWithHeaders(port, "GET", "/api/v1/status", basic("admin", "foobaz", a)).status);

        // max_failed_login failures in a row ban the address: 423 on every
        // route, /login included, while other addresses go on.
        const std::string b = "198.51.100.2";
        for (const char* name : {"x1", "x2", "x3"})
            CPPUNIT_ASSERT_EQUAL(
                401,
                httpCallWithHeaders(port, "GET", "/api/v1/status", basic(name, "pw", b)).status);
        HttpReply banned =
            httpCallWithHeaders(port, "GET", "/api/v1/status", basic("admin", "foobaz", b));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(banned.body, 423, banned.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_ADDRESS_BANNED"),
                             errorField(banned.body, "code"));
        CPPUNIT_ASSERT_EQUAL(
            423,
            httpCallWithHeaders(port, "GET", "/api/v1/login", basic("admin", "foobaz", b)).status);
        CPPUNIT_ASSERT_EQUAL(
            200,
            httpCallWithHeaders(port, "GET", "/api/v1/status", basic("admin", "foobaz")).status);
        CPPUNIT_ASSERT_MESSAGE(
            rportd.output(),
            rportd.waitForOutput(
                "security: banned 198.51.100.2 for 2 s after 3 failed logins to the API"));
        sleepMs(2100);
        CPPUNIT_ASSERT_EQUAL(
            200,
            httpCallWithHeaders(port, "GET", "/api/v1/status", basic("admin", "foobaz", b)).status);
        // A request without credentials guesses nothing: never a wait or a count.
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/api/v1/status").status);
        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);
    }

    // docs/security.md's fail2ban filter, run by fail2ban-regex over the log
    // this rportd wrote: it finds the addresses that failed, and only those.
    void fail2banFilterMatches(RportdProcess& rportd) {
        if (!toolInstalled("fail2ban-regex"))
            return skipTest("fail2ban-regex is not installed (Debian fail2ban)");
        std::string doc = readFile(sourceDir() + "/docs/security.md");
        size_t start = doc.find("```ini\n[Definition]");
        CPPUNIT_ASSERT_MESSAGE("docs/security.md has no filter block", start != std::string::npos);
        start += 7;
        std::string filter =
            dir.write("rportd-filter.conf", doc.substr(start, doc.find("```", start) - start));
        std::string log = dir.write("rportd.log", rportd.output());
        ProcessResult run = runProcess({"fail2ban-regex", "-v", log, filter}, dir.path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);
        CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find("198.51.100.1 ") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find("198.51.100.2 ") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            run.output, run.output.find("192.0.2.50 ") != std::string::npos);  // the forged token
        // 1 + 3 failures at the two addresses, 1 forged token: nothing else.
        CPPUNIT_ASSERT_MESSAGE(run.output, run.output.find(", 5 matched,") != std::string::npos);
    }

public:
    void tokensAndProtection() {
        if (!prepare()) return skipTest("MariaDB is not installed");
        std::string token;
        {
            RportdProcess rportd({"-c", config}, dir.path());
            const uint16_t port = rportd.waitForApiPort();
            loginAndBearerUse(port, rportd);
            loginWaitAndBans(port, rportd);
            if (backend == "static") fail2banFilterMatches(rportd);
            token = tokenOf(
                httpCall(port, "GET", "/api/v1/login?token-lifetime=3600", "admin", "foobaz"));
            CPPUNIT_ASSERT_EQUAL(0, rportd.stop());
        }
        // With jwt_secret set, a token outlives a restart: the session is on disk.
        RportdProcess again({"-c", config}, dir.path());
        const uint16_t port = again.waitForApiPort();
        HttpReply after = httpCallWithHeaders(port, "GET", "/api/v1/status", bearer(token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(after.body, 200, after.status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiLoginScenarioTest);
