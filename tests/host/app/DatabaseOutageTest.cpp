// The database behind auth_table goes away and comes back: the API answers
// 503 ERR_CODE_AUTH_BACKEND_UNAVAILABLE meanwhile, quickly, and recovers by
// itself without restarting rportd.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

#include "HttpCall.h"
#include "MariaDbServer.h"
#include "RportdProcess.h"
#include "TempDir.h"

using namespace rport::test;
using Clock = std::chrono::steady_clock;

class DatabaseOutageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DatabaseOutageTest);
    CPPUNIT_TEST(answers503WhileDownAndRecoversAlone);
    CPPUNIT_TEST_SUITE_END();

public:
    void answers503WhileDownAndRecoversAlone() {
        MariaDbServer db;
        TempDir dir;
        std::string config = dir.write(
            "rportd.conf", "[server]\naddress = \"127.0.0.1:0\"\nauth_table = \"clients_auth\"\ndata_dir = \"" + dir.file("data") +
                               "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n[database]\n"
                               "db_type = \"mysql\"\ndb_host = \"" + db.hostPort() + "\"\ndb_user = \"" + db.user() +
                               "\"\ndb_password = \"" + db.password() + "\"\ndb_name = \"" + db.database() + "\"\n");
        RunResult created = runRportd({"-c", config, "--create-tables"}, dir.path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.output, 0, created.exitCode);

        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        auto list = [&] { return httpCall(port, "GET", "/api/v1/clients-auth", "admin", "foobaz"); };
        CPPUNIT_ASSERT_EQUAL(201, httpCall(port, "POST", "/api/v1/clients-auth", "admin", "foobaz",
                                           "{\"id\":\"client1\",\"password\":\"pw-client1\"}").status);
        CPPUNIT_ASSERT_EQUAL(200, list().status);

        db.kill();
        auto started = Clock::now();
        HttpReply down = list();
        auto took = Clock::now() - started;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(down.body, 503, down.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_AUTH_BACKEND_UNAVAILABLE"), errorField(down.body, "code"));
        CPPUNIT_ASSERT_MESSAGE("a dead database must not stall the API",
                               took < std::chrono::seconds(5));
        HttpReply write = httpCall(port, "POST", "/api/v1/clients-auth", "admin", "foobaz",
                                   "{\"id\":\"client2\",\"password\":\"pw-client2\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(write.body, 503, write.status);
        // API users come from elsewhere and still log in.
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);

        db.restart();
        int status = 0;
        for (auto deadline = Clock::now() + std::chrono::seconds(15); Clock::now() < deadline;) {
            status = list().status;
            if (status == 200) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        CPPUNIT_ASSERT_EQUAL(200, status);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/api/v1/clients-auth/client1", "admin", "foobaz").status);
        CPPUNIT_ASSERT(rportd.running());
        CPPUNIT_ASSERT_EQUAL(0, rportd.stop());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseOutageTest);
