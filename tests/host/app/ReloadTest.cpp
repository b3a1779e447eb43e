// SIGHUP re-creates the credential stores: shown with a file store whose own
// watching is switched off, so nothing but the signal can pick up an edit.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>

#include <unistd.h>

#include <csignal>
#include <fstream>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "TempDir.h"

using namespace rport::test;

class ReloadTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ReloadTest);
    CPPUNIT_TEST(sighupPicksUpAnEditedFile);
    CPPUNIT_TEST(aBrokenFileOnSighupKeepsTheOldCredentials);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;
    std::string file;
    std::unique_ptr<RportdProcess> rportd;
    uint16_t port = 0;

    int statusOf(const std::string& id) {
        return httpCall(port, "GET", "/api/v1/clients-auth/" + id, "admin", "foobaz").status;
    }
    void hupAndWait(int reloadsSoFar) {
        ::kill(rportd->pid(), SIGHUP);
        // Each SIGHUP logs one "reloaded" or one "reload failed" line.
        for (int i = 0; i < 500; ++i) {
            std::string out = rportd->output();
            int n = 0;
            for (const std::string needle : {"client-auth plugin \"file\" reloaded", "client-auth reload failed"})
                for (size_t at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1)) ++n;
            if (n > reloadsSoFar) return;
            ::usleep(10000);
        }
        CPPUNIT_FAIL("no reload logged:\n" + rportd->output());
    }

public:
    void setUp() override {
        file = dir.file("clients.json");
        std::ofstream(file) << "{\"before\":\"pw-before\"}";
        std::string config = dir.write(
            "rportd.conf", "[server]\naddress = \"127.0.0.1:0\"\ndata_dir = \"" + dir.file("data") +
                               "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n"
                               "[plugins]\nclient_auth = \"file\"\n[plugin.file]\npath = \"" + file +
                               "\"\ninotify = false\ncheck_interval_ms = 0\n");
        rportd = std::make_unique<RportdProcess>(std::vector<std::string>{"-c", config}, dir.path());
        port = rportd->waitForApiPort();
    }

    void sighupPicksUpAnEditedFile() {
        std::ofstream(file) << "{\"after\":\"pw-after\"}";
        ::usleep(300000);
        CPPUNIT_ASSERT_EQUAL(200, statusOf("before"));  // nothing watches the file
        hupAndWait(0);
        CPPUNIT_ASSERT_EQUAL(404, statusOf("before"));
        CPPUNIT_ASSERT_EQUAL(200, statusOf("after"));
        CPPUNIT_ASSERT_EQUAL(0, rportd->stop());
    }

    void aBrokenFileOnSighupKeepsTheOldCredentials() {
        std::ofstream(file) << "{\"after\": ";
        hupAndWait(0);
        CPPUNIT_ASSERT_MESSAGE(rportd->output(), rportd->output().find("client-auth reload failed") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, statusOf("before"));
        CPPUNIT_ASSERT_EQUAL(0, rportd->stop());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReloadTest);
