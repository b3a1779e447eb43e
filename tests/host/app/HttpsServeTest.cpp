// rportd serving its API over HTTPS from certificate files: the seed's curl
// check, hot reload (rename, copy in place, a mismatched pair refused, SIGHUP),
// the start-up errors and warnings by their messages, tls_min, and the
// HTTP-01 challenge listener.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <thread>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "Subprocess.h"
#include "TempDir.h"
#include "TestConfigs.h"
#include "TlsClient.h"

using namespace rport::test;

namespace {

// A self-signed ECDSA P-256 pair for localhost and 127.0.0.1 (what certbot
// makes by default), written as <name>.crt and <name>.key (mode 0600).
void makePair(const TempDir& dir, const std::string& name, int days = 30, const std::string& cn = "localhost") {
    const std::string key = dir.path() + "/" + name + ".key";
    const std::string crt = dir.path() + "/" + name + ".crt";
    shellOutput("openssl ecparam -name prime256v1 -genkey -noout -out " + key);
    shellOutput("openssl req -x509 -key " + key + " -out " + crt + " -days " + std::to_string(days) + " -subj /CN=" + cn +
        " -addext subjectAltName=DNS:" + cn + ",IP:127.0.0.1");
    ::chmod(key.c_str(), 0600);
}

bool waitUntil(const std::function<bool()>& condition, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}

std::string servedSerial(uint16_t port) {
    try {
        TlsClient client(port);
        return client.peerSerial();
    } catch (const std::exception&) {
        return "";
    }
}

std::string httpsConfig(const TempDir& dir, const std::string& apiExtra, const std::string& serverExtra = "",
                        const std::string& tail = "") {
    return "[server]\n"
           "address = \"127.0.0.1:0\"\n"
           "auth = \"clientAuth1:1234\"\n"
           "data_dir = \"" + dir.path() + "/data\"\n" + serverExtra +
           "[api]\n"
           "address = \"127.0.0.1:0\"\n"
           "auth = \"admin:foobaz\"\n" + apiExtra +
           "[logging]\n"
           "log_level = \"info\"\n" + tail;
}

std::string filePair(const TempDir& dir, const std::string& name) {
    return "cert_file = \"" + dir.path() + "/" + name + ".crt\"\nkey_file = \"" + dir.path() + "/" + name + ".key\"\n";
}

}  // namespace

class HttpsServeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HttpsServeTest);
    CPPUNIT_TEST(theSeedsCurlCheckAnswers200OverHttps);
    CPPUNIT_TEST(plainHttpOnTheTlsPortGetsA400);
    CPPUNIT_TEST(aPairReplacedByRenameIsServedWithoutRestart);
    CPPUNIT_TEST(aMismatchedPairIsRefusedAndTheOldOneKeepsServing);
    CPPUNIT_TEST(sighupRereadsTheFiles);
    CPPUNIT_TEST(startupErrorsNameTheFile);
    CPPUNIT_TEST(startupWarnings);
    CPPUNIT_TEST(tlsMinimumIsHonoured);
    CPPUNIT_TEST(theChallengeListenerServesTheWebrootAndRedirects);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;

public:
    void theSeedsCurlCheckAnswers200OverHttps() {
        makePair(dir, "a");
        std::string conf = dir.write("rportd.conf", httpsConfig(dir, filePair(dir, "a")));
        RportdProcess rportd({"-c", conf}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        CPPUNIT_ASSERT(rportd.output().find("(HTTPS)") != std::string::npos);
        // The seed's own check, with the self-signed certificate trusted.
        std::string out = shellOutput("curl -sS -Iv --cacert " + dir.path() + "/a.crt -u admin:foobaz https://localhost:" +
                              std::to_string(port) + "/api/v1/status");
        CPPUNIT_ASSERT_MESSAGE(out, out.find("HTTP/1.1 200 OK") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("ALPN: server accepted http/1.1") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("curl: (") == std::string::npos);  // no TLS error at all
        // /status shows what is served.
        TlsClient client(port, {"localhost", dir.path() + "/a.crt"});
        std::string body;
        CPPUNIT_ASSERT_EQUAL(200, client.get("/api/v1/status", "admin", "foobaz", &body));
        CPPUNIT_ASSERT_MESSAGE(body, body.find("\"serial\":\"" + certificateSerial(dir.path() + "/a.crt") + "\"") !=
                                         std::string::npos);
        CPPUNIT_ASSERT(body.find("\"provider\":\"files\"") != std::string::npos);
        CPPUNIT_ASSERT(body.find("\"sans\":[\"localhost\",\"127.0.0.1\"]") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("TLSv1.3"), client.protocol());
    }

    void plainHttpOnTheTlsPortGetsA400() {
        makePair(dir, "a");
        std::string conf = dir.write("rportd.conf", httpsConfig(dir, filePair(dir, "a")));
        RportdProcess rportd({"-c", conf}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        HttpReply reply = httpCall(port, "GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(400, reply.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Client sent an HTTP request to an HTTPS server."),
                             errorField(reply.body, "title"));
    }

    void aPairReplacedByRenameIsServedWithoutRestart() {
        makePair(dir, "a");
        makePair(dir, "b");
        makePair(dir, "c");
        std::string conf = dir.write("rportd.conf", httpsConfig(dir, filePair(dir, "a")));
        RportdProcess rportd({"-c", conf}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        const std::string first = certificateSerial(dir.path() + "/a.crt");
        CPPUNIT_ASSERT_EQUAL(first, servedSerial(port));
        TlsClient before(port);  // stays open across the swap

        // Replaced by rename, the way careful tools do it: key first, then certificate.
        ::rename((dir.path() + "/b.key").c_str(), (dir.path() + "/a.key").c_str());
        ::rename((dir.path() + "/b.crt").c_str(), (dir.path() + "/a.crt").c_str());
        const std::string second = certificateSerial(dir.path() + "/a.crt");
        CPPUNIT_ASSERT(waitUntil([&] { return servedSerial(port) == second; }, 8000));
        // The open connection is untouched and still works.
        CPPUNIT_ASSERT_EQUAL(first, before.peerSerial());
        CPPUNIT_ASSERT_EQUAL(200, before.get("/api/v1/status", "admin", "foobaz"));

        // Copied over in place (cp keeps the inode): picked up as well.
        shellOutput("cp " + dir.path() + "/c.key " + dir.path() + "/a.key && cp " + dir.path() + "/c.crt " + dir.path() +
            "/a.crt");
        const std::string third = certificateSerial(dir.path() + "/c.crt");
        CPPUNIT_ASSERT(waitUntil([&] { return servedSerial(port) == third; }, 8000));
    }

    void aMismatchedPairIsRefusedAndTheOldOneKeepsServing() {
        makePair(dir, "a");
        makePair(dir, "b");
        std::string conf = dir.write("rportd.conf", httpsConfig(dir, filePair(dir, "a")));
        RportdProcess rportd({"-c", conf}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        const std::string first = certificateSerial(dir.path() + "/a.crt");
        // Only the certificate changes: it does not match the key.
        shellOutput("cp " + dir.path() + "/b.crt " + dir.path() + "/a.crt");
        CPPUNIT_ASSERT(rportd.waitForOutput("does not match", 10000));
        CPPUNIT_ASSERT_EQUAL(first, servedSerial(port));
        TlsClient client(port);
        std::string body;
        CPPUNIT_ASSERT_EQUAL(200, client.get("/api/v1/status", "admin", "foobaz", &body));
        CPPUNIT_ASSERT_MESSAGE(body, body.find("\"last_error\":\"\"") == std::string::npos);
        // The matching key arrives: the new pair is served.
        shellOutput("cp " + dir.path() + "/b.key " + dir.path() + "/a.key");
        const std::string second = certificateSerial(dir.path() + "/b.crt");
        CPPUNIT_ASSERT(waitUntil([&] { return servedSerial(port) == second; }, 8000));
    }

    void sighupRereadsTheFiles() {
        makePair(dir, "a");
        makePair(dir, "b");
        // Watching off: only SIGHUP can make it notice.
        std::string conf = dir.write(
            "rportd.conf", httpsConfig(dir, "", "",
                                       "[plugins]\napi_cert = \"files\"\n[plugin.files]\n" + filePair(dir, "a") +
                                           "inotify = false\ncheck_interval_ms = 0\n"));
        RportdProcess rportd({"-c", conf}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        shellOutput("cp " + dir.path() + "/b.key " + dir.path() + "/a.key && cp " + dir.path() + "/b.crt " + dir.path() +
            "/a.crt");
        const std::string second = certificateSerial(dir.path() + "/b.crt");
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        CPPUNIT_ASSERT(servedSerial(port) != second);
        ::kill(rportd.pid(), SIGHUP);
        CPPUNIT_ASSERT(waitUntil([&] { return servedSerial(port) == second; }, 5000));
    }

    void startupErrorsNameTheFile() {
        makePair(dir, "a");
        makePair(dir, "b");
        auto startError = [&](const std::string& api) {
            std::string conf = dir.write("bad.conf", httpsConfig(dir, api));
            RunResult r = runRportd({"-c", conf}, dir.path());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.output, 1, r.exitCode);
            // --check-config runs the same checks.
            RunResult check = runRportd({"-c", conf, "--check-config"}, dir.path());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(check.output, 1, check.exitCode);
            return r.output;
        };
        const std::string missing = dir.path() + "/missing.crt";
        std::string out = startError("cert_file = \"" + missing + "\"\nkey_file = \"" + dir.path() + "/a.key\"\n");
        CPPUNIT_ASSERT_MESSAGE(out, out.find("cannot read certificate file " + missing) != std::string::npos);

        dir.write("notpem.crt", "hello\n");
        out = startError("cert_file = \"" + dir.path() + "/notpem.crt\"\nkey_file = \"" + dir.path() + "/a.key\"\n");
        CPPUNIT_ASSERT_MESSAGE(out, out.find(dir.path() + "/notpem.crt holds no PEM certificate") != std::string::npos);

        shellOutput("openssl ec -in " + dir.path() + "/a.key -aes256 -passout pass:secret -out " + dir.path() + "/enc.key");
        out = startError("cert_file = \"" + dir.path() + "/a.crt\"\nkey_file = \"" + dir.path() + "/enc.key\"\n");
        CPPUNIT_ASSERT_MESSAGE(out, out.find("the key must not be password protected") != std::string::npos);

        out = startError("cert_file = \"" + dir.path() + "/a.crt\"\nkey_file = \"" + dir.path() + "/b.key\"\n");
        CPPUNIT_ASSERT_MESSAGE(out, out.find("does not match the certificate in " + dir.path() + "/a.crt") !=
                                        std::string::npos);
    }

    void startupWarnings() {
        makePair(dir, "soon", 5, "other.example");
        ::chmod((dir.path() + "/soon.key").c_str(), 0644);
        std::string conf = dir.write(
            "rportd.conf", httpsConfig(dir, filePair(dir, "soon") + "base_url = \"https://localhost:3000\"\n"));
        RunResult check = runRportd({"-c", conf, "--check-config"}, dir.path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(check.output, 0, check.exitCode);
        CPPUNIT_ASSERT_MESSAGE(check.output, check.output.find("readable by every user") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(check.output, check.output.find("in less than 14 days") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(check.output, check.output.find("does not cover \"localhost\"") != std::string::npos);
    }

    void tlsMinimumIsHonoured() {
        makePair(dir, "a");
        std::string conf12 = dir.write("twelve.conf", httpsConfig(dir, filePair(dir, "a")));
        {
            RportdProcess rportd({"-c", conf12}, dir.path());
            uint16_t port = rportd.waitForApiPort();
            TlsClientOptions old;
            old.maxVersion = TLS1_2_VERSION;
            // Our default: TLS 1.2 is accepted, unlike the original's 1.3-only default.
            CPPUNIT_ASSERT_EQUAL(std::string(""), tlsHandshakeError(port, old));
            old.maxVersion = TLS1_1_VERSION;
            CPPUNIT_ASSERT(!tlsHandshakeError(port, old).empty());
        }
        std::string conf13 =
            dir.write("thirteen.conf", httpsConfig(dir, filePair(dir, "a") + "tls_min = \"1.3\"\n"));
        RportdProcess rportd({"-c", conf13}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        TlsClientOptions old;
        old.maxVersion = TLS1_2_VERSION;
        CPPUNIT_ASSERT(!tlsHandshakeError(port, old).empty());
        CPPUNIT_ASSERT_EQUAL(std::string(""), tlsHandshakeError(port));
    }

    void theChallengeListenerServesTheWebrootAndRedirects() {
        makePair(dir, "a");
        const std::string webroot = dir.path() + "/webroot";
        const uint16_t challengePort = freeLoopbackPort();
        std::string text = httpsConfig(dir, filePair(dir, "a"),
                                       "acme_http_port = " + std::to_string(challengePort) +
                                           "\nacme_http_host = \"127.0.0.1\"\nacme_webroot = \"" + webroot + "\"\n");
        std::string conf = dir.write("rportd.conf", text);
        RportdProcess rportd({"-c", conf}, dir.path());
        rportd.waitForApiPort();
        CPPUNIT_ASSERT(rportd.waitForOutput("HTTP-01 challenges", 5000));
        // certbot --webroot writes the token file; rportd serves it.
        const std::string token = "Xy_9-token0123456789abcdefghijklmnopqrstu";
        dir.write("webroot/.well-known/acme-challenge/" + token, token + ".thumbprint");
        HttpReply served = httpCall(challengePort, "GET", "/.well-known/acme-challenge/" + token);
        CPPUNIT_ASSERT_EQUAL(200, served.status);
        CPPUNIT_ASSERT_EQUAL(token + ".thumbprint", served.body);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(challengePort, "GET", "/.well-known/acme-challenge/unknown0token").status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(challengePort, "GET", "/.well-known/acme-challenge/..%2Fsecret").status);
        CPPUNIT_ASSERT_EQUAL(400, httpCall(challengePort, "POST", "/anything").status);
        std::string redirect = shellOutput("curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: rport.example:80' "
                                   "http://127.0.0.1:" + std::to_string(challengePort) + "/api/v1/status?x=1");
        CPPUNIT_ASSERT_EQUAL(std::string("302 https://rport.example/api/v1/status?x=1"), redirect);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpsServeTest);
