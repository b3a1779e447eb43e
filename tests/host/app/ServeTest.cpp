// rportd serving its API: the documented curl calls, errors, logging, signals.
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "TempDir.h"
#include "TestConfigs.h"

using namespace rport::test;

namespace {

// Whether the process has SIGTERM blocked, as rportd's SignalWaiter does
// before it waits for the signal.
bool blocksSigterm(pid_t pid) {
    const std::string status = readFile("/proc/" + std::to_string(pid) + "/status");
    const size_t at = status.find("SigBlk:");
    if (at == std::string::npos) return false;
    const unsigned long long mask = std::stoull(status.substr(at + 7), nullptr, 16);
    return (mask >> (SIGTERM - 1)) & 1;
}

}  // namespace

class ServeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ServeTest);
    CPPUNIT_TEST(theExampleConfigAnswersTheDocumentedCurl);
    CPPUNIT_TEST(statusReportsTheConfiguration);
    CPPUNIT_TEST(credentialsAreRequired);
    CPPUNIT_TEST(routingErrorsAreJson);
    CPPUNIT_TEST(sigtermStopsGracefully);
    CPPUNIT_TEST(sighupKeepsServing);
    CPPUNIT_TEST(logFileAndLevelAreHonoured);
    CPPUNIT_TEST(createsTheDataDirectory);
    CPPUNIT_TEST(busyApiAddressExitsOne);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;

public:
    void theExampleConfigAnswersTheDocumentedCurl() {
        // The shipped example, unchanged but for the port, so the test cannot
        // collide with anything else on 3000.
        std::string example = readFile(sourceDir() + "/config/rportd.example.conf");
        size_t at = example.find("127.0.0.1:3000");
        CPPUNIT_ASSERT(at != std::string::npos);
        example.replace(at, std::string("127.0.0.1:3000").size(), "127.0.0.1:0");
        std::string path = dir.write("rportd.conf", example);
        RportdProcess rportd({"-c", path}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        HttpReply r = httpCall(port, "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json; charset=UTF-8"), r.contentType);
        // HEAD is answered on every GET route: curl -Iv -u admin:foobaz
        // http://HOST:PORT/api/v1/status
        HttpReply head = httpCall(port, "HEAD", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(200, head.status);
        CPPUNIT_ASSERT(head.body.empty());
        if (::access("/usr/bin/curl", X_OK) == 0) {
            const std::string command =
                "curl -sS -Iv -u admin:foobaz http://127.0.0.1:" + std::to_string(port) +
                "/api/v1/status 2>&1";
            std::string output;
            FILE* pipe = ::popen(command.c_str(), "r");
            CPPUNIT_ASSERT(pipe != nullptr);
            char buf[1024];
            for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) output.append(buf, n);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(output, 0, ::pclose(pipe));
            CPPUNIT_ASSERT_MESSAGE(output, output.find("HTTP/1.1 200 OK") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(
                output, output.find("Content-Length: " + std::to_string(r.body.size())) !=
                            std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(0, rportd.stop());
    }

    void statusReportsTheConfiguration() {
        std::string path = dir.write("rportd.conf", staticConfig(dir.file("data")));
        RportdProcess rportd({"-c", path}, dir.path());
        HttpReply r = httpCall(rportd.waitForApiPort(), "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        auto data =
            Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>()->getObject(
                "data");
        CPPUNIT_ASSERT_EQUAL(std::string("Static Credentials"),
                             data->getValue<std::string>("clients_auth_source"));
        CPPUNIT_ASSERT_EQUAL(std::string("Read Only"),
                             data->getValue<std::string>("clients_auth_mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("Static Credentials"),
                             data->getValue<std::string>("users_auth_source"));
        CPPUNIT_ASSERT_EQUAL(0, data->getValue<int>("clients_connected"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:0"),
                             data->getArray("connect_url")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("20000-30000"),
                             data->getArray("used_ports")->getElement<std::string>(0));
        CPPUNIT_ASSERT(data->has("version"));
    }

    void credentialsAreRequired() {
        std::string path = dir.write("rportd.conf", staticConfig(dir.file("data")));
        RportdProcess rportd({"-c", path}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        HttpReply none = httpCall(port, "GET", "/api/v1/status");
        CPPUNIT_ASSERT_EQUAL(401, none.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unauthorized"), errorField(none.body, "title"));
        // The client credential is not an API credential.
        CPPUNIT_ASSERT_EQUAL(401,
                             httpCall(port, "GET", "/api/v1/status", "clientAuth1", "1234").status);
        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);
        // After a wrong password the name waits user_login_wait (2 s by
        // default) at this address, even with the right password.
        CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/api/v1/status", "admin", "wrong").status);
        CPPUNIT_ASSERT_EQUAL(429,
                             httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);
    }

    void routingErrorsAreJson() {
        std::string path = dir.write("rportd.conf", staticConfig(dir.file("data")));
        RportdProcess rportd({"-c", path}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        HttpReply notFound = httpCall(port, "GET", "/api/v1/nope", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(404, notFound.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_ROUTE_NOT_FOUND"),
                             errorField(notFound.body, "code"));
        HttpReply wrongMethod = httpCall(port, "DELETE", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(405, wrongMethod.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_METHOD_NOT_ALLOWED"),
                             errorField(wrongMethod.body, "code"));
    }

    void sigtermStopsGracefully() {
        std::string path = dir.write("rportd.conf", staticConfig(dir.file("data")));
        RportdProcess rportd({"-c", path}, dir.path());
        rportd.waitForApiPort();
        CPPUNIT_ASSERT_EQUAL(0, rportd.stop(SIGTERM, 5000));
        CPPUNIT_ASSERT_MESSAGE(rportd.output(),
                               rportd.output().find("stopped") != std::string::npos);
    }

    void sighupKeepsServing() {
        std::string path = dir.write("rportd.conf", staticConfig(dir.file("data")));
        RportdProcess rportd({"-c", path}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        ::kill(rportd.pid(), SIGHUP);
        CPPUNIT_ASSERT(rportd.waitForOutput("SIGHUP received"));
        CPPUNIT_ASSERT(rportd.running());
        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);
    }

    void logFileAndLevelAreHonoured() {
        std::string logPath = dir.file("rportd.log");
        std::string config = staticConfig(dir.file("data"));
        config += "log_file = \"" + logPath + "\"\n";
        std::string path = dir.write("rportd.conf", config);
        RportdProcess rportd({"-c", path}, dir.path());
        // The listening line goes to the file, not to stdout.
        for (int i = 0; i < 500 && readFile(logPath).find("API Listening on") == std::string::npos;
             ++i)
            ::usleep(10000);
        CPPUNIT_ASSERT_MESSAGE(
            readFile(logPath),
            readFile(logPath).find("info: api-listener: API Listening on") != std::string::npos);
        CPPUNIT_ASSERT(rportd.output().find("API Listening on") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, rportd.stop());

        // At "error", info lines are not written.
        std::string quiet = staticConfig(dir.file("data"));
        quiet.replace(quiet.find("log_level = \"info\""), 18, "log_level = \"error\"");
        path = dir.write("quiet.conf", quiet);
        RportdProcess silent({"-c", path}, dir.path());
        // Nothing is logged to wait for: wait until it would answer SIGTERM
        // with a clean stop (a slow start, e.g. under a sanitizer, otherwise
        // gets the default action: killed, 143), then give it time to log.
        for (int i = 0; i < 1000 && !blocksSigterm(silent.pid()); ++i) ::usleep(10000);
        ::usleep(300000);
        CPPUNIT_ASSERT_EQUAL(0, silent.stop());
        CPPUNIT_ASSERT_MESSAGE(silent.output(), silent.output().find("info:") == std::string::npos);
    }

    void createsTheDataDirectory() {
        std::string data = dir.file("deeper/data");
        std::string path = dir.write("rportd.conf", staticConfig(data));
        RportdProcess rportd({"-c", path}, dir.path());
        rportd.waitForApiPort();
        CPPUNIT_ASSERT(Poco::File(data).isDirectory());
    }

    void busyApiAddressExitsOne() {
        std::string path = dir.write("rportd.conf", staticConfig(dir.file("data")));
        RportdProcess first({"-c", path}, dir.path());
        uint16_t port = first.waitForApiPort();
        std::string config = staticConfig(dir.file("data2"));
        config.replace(config.rfind("127.0.0.1:0"), 11, "127.0.0.1:" + std::to_string(port));
        RunResult r = runRportd({"-c", dir.write("second.conf", config)}, dir.path());
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, r.output.find("API: cannot listen on 127.0.0.1:" +
                                                       std::to_string(port)) != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ServeTest);
