// certbot manages the certificate, rportd serves it: real certbot against a
// real pebble on loopback. Five forced renewals while a client keeps making
// HTTPS requests: every new serial is served, no request fails, rportd never
// restarts. Then the same with --webroot into rportd's challenge webroot
// while rportd itself holds the challenge port. Skipped when pebble or
// certbot is missing.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "Certbot.h"
#include "HttpCall.h"
#include "PebbleServer.h"
#include "RportdProcess.h"
#include "Skip.h"
#include "SteadyTlsClient.h"
#include "Subprocess.h"
#include "TempDir.h"
#include "TlsClient.h"

using namespace rport::test;

namespace {

std::string config(const TempDir& dir, const std::string& api, const std::string& server = "") {
    return "[server]\naddress = \"127.0.0.1:0\"\nauth = \"clientAuth1:1234\"\ndata_dir = \"" + dir.path() +
           "/data\"\n" + server + "[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n" + api +
           "[logging]\nlog_level = \"info\"\n";
}

}  // namespace

class CertbotRenewalTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertbotRenewalTest);
    CPPUNIT_TEST(servesEveryStandaloneRenewalWithoutRestart);
    CPPUNIT_TEST(webrootRenewalsThroughRportdsChallengeListener);
    CPPUNIT_TEST_SUITE_END();

    bool prerequisites() {
        if (!PebbleServer::installed()) {
            skipTest("pebble: " + PebbleServer::missingReason());
            return false;
        }
        if (!Certbot::installed()) {
            skipTest("certbot not installed (scripts/install-deps.sh installs it)");
            return false;
        }
        return true;
    }

public:
    void servesEveryStandaloneRenewalWithoutRestart() {
        if (!prerequisites()) return;
        PebbleOptions options;
        options.httpPort = freeLoopbackPort();
        PebbleServer pebble(options);
        Certbot certbot(pebble);
        CertbotResult issued = certbot.certonlyStandalone("rport.test", pebble.httpPort());
        CPPUNIT_ASSERT_MESSAGE(issued.describe(), issued.ok());

        TempDir dir;
        // The seed's setup: the lineage's live/ files in cert_file and key_file.
        std::string conf = dir.write(
            "rportd.conf", config(dir, "cert_file = \"" + certbot.fullchainPath("rport.test") +
                                           "\"\nkey_file = \"" + certbot.privkeyPath("rport.test") + "\"\n"));
        RportdProcess rportd({"-c", conf}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        const pid_t pid = rportd.pid();
        CPPUNIT_ASSERT_MESSAGE(rportd.output(), rportd.output().find("provider \"certbot\"") != std::string::npos);

        SteadyTlsClient client(port, "rport.test", pebble.rootPath());
        CPPUNIT_ASSERT(waitForSerial(client, certificateSerial(certbot.certPath("rport.test")), 10000) >= 0);
        std::vector<long> pickup;
        std::vector<std::string> serials{certificateSerial(certbot.certPath("rport.test"))};
        for (int i = 0; i < 5; ++i) {
            CertbotResult renewed = certbot.renew("rport.test");
            CPPUNIT_ASSERT_MESSAGE(renewed.describe(), renewed.ok());
            const std::string serial = certificateSerial(certbot.certPath("rport.test"));
            CPPUNIT_ASSERT(std::find(serials.begin(), serials.end(), serial) == serials.end());
            serials.push_back(serial);
            long ms = waitForSerial(client, serial, 10000);
            CPPUNIT_ASSERT_MESSAGE("renewal " + std::to_string(i + 1) + " not served: " + rportd.output(), ms >= 0);
            pickup.push_back(ms);
        }
        client.stop();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(client.lastFailure(), 0, client.failures());
        CPPUNIT_ASSERT(client.requests() > 20);
        CPPUNIT_ASSERT(rportd.running());
        CPPUNIT_ASSERT_EQUAL(pid, rportd.pid());
        std::sort(pickup.begin(), pickup.end());
        std::cout << "\n  certbot renew -> served: median " << pickup[pickup.size() / 2] << " ms, max "
                  << pickup.back() << " ms over " << pickup.size() << " renewals; " << client.requests()
                  << " requests, 0 failed\n";
    }

    void webrootRenewalsThroughRportdsChallengeListener() {
        if (!prerequisites()) return;
        PebbleOptions options;
        options.httpPort = freeLoopbackPort();
        PebbleServer pebble(options);
        Certbot certbot(pebble);
        TempDir dir;
        const std::string webroot = dir.path() + "/webroot";
        const std::string challenge = "acme_http_port = " + std::to_string(pebble.httpPort()) +
                                      "\nacme_http_host = \"127.0.0.1\"\nacme_webroot = \"" + webroot + "\"\n";
        {
            // First issuance: rportd (plain API for now) already holds the challenge port.
            std::string conf = dir.write("first.conf", config(dir, "", challenge));
            RportdProcess rportd({"-c", conf}, dir.path());
            rportd.waitForApiPort();
            CertbotResult issued = certbot.certonlyWebroot("web.rport.test", webroot);
            CPPUNIT_ASSERT_MESSAGE(issued.describe() + rportd.output(), issued.ok());
        }
        // rportd serves the lineage and keeps the challenge port: renewals
        // with the lineage's own settings (webroot) go through it.
        std::string conf = dir.write(
            "rportd.conf", config(dir,
                                  "cert_file = \"" + certbot.fullchainPath("web.rport.test") + "\"\nkey_file = \"" +
                                      certbot.privkeyPath("web.rport.test") + "\"\n",
                                  challenge));
        RportdProcess rportd({"-c", conf}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        CPPUNIT_ASSERT_MESSAGE(rportd.output(), rportd.output().find("standalone") == std::string::npos);
        SteadyTlsClient client(port, "web.rport.test", pebble.rootPath());
        for (int i = 0; i < 2; ++i) {
            CertbotResult renewed = certbot.renew("web.rport.test");
            CPPUNIT_ASSERT_MESSAGE(renewed.describe() + rportd.output(), renewed.ok());
            CPPUNIT_ASSERT(waitForSerial(client, certificateSerial(certbot.certPath("web.rport.test")), 10000) >= 0);
        }
        client.stop();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(client.lastFailure(), 0, client.failures());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertbotRenewalTest);
