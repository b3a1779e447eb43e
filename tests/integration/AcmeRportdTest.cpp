// rportd's built-in ACME client against a real pebble on loopback, with real
// validation: pebble's validation authority connects to rportd's challenge
// port (HTTP-01) or to its API port (TLS-ALPN-01); every name resolves to
// 127.0.0.1 through pebble-challtestsrv. pebble rejects a share of nonces
// (its default), so every issuance also goes through badNonce retries.
//
// Covered: issuance for the API name and the tunnel name by each challenge,
// served by SNI and chaining to pebble's root; renewal while a client keeps
// requesting; pebble gone at renewal time (old certificate kept, retries
// spaced, renewal once it is back); a restart reusing account and
// certificate; impossible setups refused at start. Skipped without pebble.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "PebbleServer.h"
#include "RportdProcess.h"
#include "Skip.h"
#include "SteadyTlsClient.h"
#include "Subprocess.h"
#include "TempDir.h"
#include "TlsClient.h"

using namespace rport::test;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kApiName = "api.rport.test";
const std::string kTunnelName = "tunnel.rport.test";

// The acme provider's lines for a new account and for a new order.
const std::string kAccountCreated = "created ACME account";
const std::string kOrdering = "ordering a certificate for";

enum class Challenge { Http01, TlsAlpn01 };

struct RigOptions {
    Challenge challenge = Challenge::Http01;
    bool tunnel = true;
    int validitySeconds = 0;  // pebble's default (5 years) when 0
};

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

size_t occurrences(const std::string& text, const std::string& needle) {
    size_t count = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

// pebble on fixed loopback ports and the rportd config that points at it.
class AcmeRig {
public:
    explicit AcmeRig(RigOptions options = RigOptions()) : _options(options) {
        PebbleOptions pebble;
        pebble.httpPort = freeLoopbackPort();
        pebble.tlsPort = freeLoopbackPort();
        pebble.nonceRejectPercent = -1;  // pebble's own 5 %: every run meets badNonce
        if (options.validitySeconds > 0) pebble.certificateValiditySeconds = options.validitySeconds;
        _pebble = std::make_unique<PebbleServer>(pebble);
        writeTrust();
    }

    PebbleServer& pebble() { return *_pebble; }
    const TempDir& dir() const { return _dir; }
    uint16_t apiPort() const { return _pebble->tlsPort(); }
    // pebble's roots, every one it had (it makes a new one at each start).
    const std::string& trustPath() const { return _trust; }
    std::string dataDir() const { return _dir.path() + "/data"; }

    std::string config(const std::string& extraServer = "", const std::string& extraAcme = "") const {
        std::string server = "[server]\naddress = \"127.0.0.1:0\"\nauth = \"clientAuth1:1234\"\n"
                             "data_dir = \"" + dataDir() + "\"\n";
        if (_options.challenge == Challenge::Http01)
            server += "acme_http_port = " + std::to_string(_pebble->httpPort()) +
                      "\nacme_http_host = \"127.0.0.1\"\n";
        if (_options.tunnel)
            server += "tunnel_host = \"" + kTunnelName + "\"\ntunnel_enable_acme = true\n";
        server += extraServer;
        const std::string port = std::to_string(apiPort());
        std::string api = "[api]\naddress = \"127.0.0.1:" + port + "\"\nauth = \"admin:foobaz\"\n" +
                          "base_url = \"https://" + kApiName + ":" + port + "\"\nenable_acme = true\n";
        std::string acme = "[acme]\ndirectory_url = \"" + _pebble->directoryUrl() +
                           "\"\nca_bundle = \"" + _pebble->minicaPath() + "\"\nchallenges = [\"" +
                           (_options.challenge == Challenge::Http01 ? "http-01" : "tls-alpn-01") +
                           "\"]\nretry_min = \"1s\"\nretry_max = \"4s\"\n" + extraAcme;
        return server + api + acme + "[logging]\nlog_level = \"debug\"\n";
    }

    std::string writeConfig(const std::string& name, const std::string& text) const {
        return _dir.write(name, text);
    }

    // pebble again on the same ports, with a new root (and no memory of
    // accounts or orders).
    void restartPebble() {
        _pebble->restart();
        writeTrust();
    }

private:
    void writeTrust() {
        _roots += readFile(_pebble->rootPath());
        _trust = _dir.write("trust.pem", _roots);
    }

    RigOptions _options;
    TempDir _dir;
    std::unique_ptr<PebbleServer> _pebble;
    std::string _roots, _trust;
};

// Polls until an HTTPS request for `name`, verified against `caFile`,
// answers 200; returns the serial served, or "" after timeoutMs.
std::string waitForVerifiedCertificate(uint16_t port, const std::string& name,
                                       const std::string& caFile, int timeoutMs,
                                       std::string* lastError = nullptr) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (Clock::now() < deadline) {
        try {
            TlsClient client(port, {name, caFile});
            if (client.get("/api/v1/status", "admin", "foobaz") == 200) return client.peerSerial();
        } catch (const std::exception& e) {
            if (lastError) *lastError = e.what();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
}

// /api/v1/status over HTTPS, parsed; the entry of tls_certificates for `source`.
Poco::JSON::Object::Ptr certificateStatus(uint16_t port, const std::string& caFile,
                                          const std::string& source) {
    TlsClient client(port, {kApiName, caFile});
    std::string body;
    if (client.get("/api/v1/status", "admin", "foobaz", &body) != 200) return nullptr;
    Poco::JSON::Parser parser;
    auto data = parser.parse(body).extract<Poco::JSON::Object::Ptr>()->getObject("data");
    auto list = data->getArray("tls_certificates");
    for (size_t i = 0; list && i < list->size(); ++i) {
        auto entry = list->getObject(static_cast<unsigned>(i));
        if (entry->getValue<std::string>("source") == source) return entry;
    }
    return nullptr;
}

bool fileMode0600(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && (st.st_mode & 0777) == 0600;
}

// Every *.pem below dir whose text holds a private key.
std::vector<std::string> privateKeyFiles(const std::string& dir) {
    ProcessResult found =
        runProcess({"grep", "-rl", "PRIVATE KEY", dir}, "/tmp", {}, 10000);
    std::vector<std::string> files;
    std::istringstream lines(found.output);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) files.push_back(line);
    return files;
}

}  // namespace

class AcmeRportdTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmeRportdTest);
    CPPUNIT_TEST(testHttp01IssuesForApiAndTunnelNames);
    CPPUNIT_TEST(testTlsAlpn01IssuesForApiAndTunnelNames);
    CPPUNIT_TEST(testRestartReusesAccountAndCertificate);
    CPPUNIT_TEST(testRenewalWhileAClientKeepsRequesting);
    CPPUNIT_TEST(testCaDownAtRenewalKeepsServingAndRetries);
    CPPUNIT_TEST(testImpossibleSetupsRefusedAtStart);
    CPPUNIT_TEST_SUITE_END();

    bool prerequisites() {
        if (!PebbleServer::installed()) {
            skipTest("pebble: " + PebbleServer::missingReason());
            return false;
        }
        return true;
    }

    void checkIssuance(Challenge challenge) {
        RigOptions options;
        options.challenge = challenge;
        AcmeRig rig(options);
        const auto started = Clock::now();
        RportdProcess rportd({"-c", rig.writeConfig("rportd.conf", rig.config())}, rig.dir().path());
        std::string why;
        const std::string apiSerial =
            waitForVerifiedCertificate(rig.apiPort(), kApiName, rig.trustPath(), 60000, &why);
        const double seconds =
            std::chrono::duration<double>(Clock::now() - started).count();
        CPPUNIT_ASSERT_MESSAGE(why + "\n" + rportd.output(), !apiSerial.empty());
        const std::string tunnelSerial =
            waitForVerifiedCertificate(rig.apiPort(), kTunnelName, rig.trustPath(), 60000, &why);
        CPPUNIT_ASSERT_MESSAGE(why + "\n" + rportd.output(), !tunnelSerial.empty());
        CPPUNIT_ASSERT(apiSerial != tunnelSerial);
        std::cout << "\n  " << (challenge == Challenge::Http01 ? "HTTP-01" : "TLS-ALPN-01")
                  << ": start to a verified API certificate in " << seconds << " s\n";

        // The challenge type asked for is the one used, and pebble made us
        // retry rejected nonces along the way.
        const std::string output = rportd.output();
        CPPUNIT_ASSERT_MESSAGE(output, output.find(challenge == Challenge::Http01 ? "http-01"
                                                                                  : "tls-alpn-01") !=
                                           std::string::npos);

        for (const std::string source : {"api", "tunnel"}) {
            auto status = certificateStatus(rig.apiPort(), rig.trustPath(), source);
            CPPUNIT_ASSERT_MESSAGE(source + ": " + output, status);
            CPPUNIT_ASSERT_EQUAL(std::string("acme"), status->getValue<std::string>("provider"));
            CPPUNIT_ASSERT_EQUAL(std::string("valid"), status->getValue<std::string>("state"));
            CPPUNIT_ASSERT_EQUAL(source == "api" ? kApiName : kTunnelName,
                                 status->getValue<std::string>("name"));
            CPPUNIT_ASSERT(!status->getValue<std::string>("not_after").empty());
            CPPUNIT_ASSERT(!status->getValue<std::string>("next_renewal").empty());
            CPPUNIT_ASSERT(status->getValue<std::string>("next_renewal") <
                           status->getValue<std::string>("not_after"));
        }
        // Every private key rportd stored is readable by its owner only.
        const auto keys = privateKeyFiles(rig.dataDir() + "/acme");
        CPPUNIT_ASSERT_MESSAGE("no stored keys", keys.size() >= 3);  // account + two certificates
        for (const auto& key : keys) CPPUNIT_ASSERT_MESSAGE(key, fileMode0600(key));
    }

public:
    void testHttp01IssuesForApiAndTunnelNames() {
        if (!prerequisites()) return;
        checkIssuance(Challenge::Http01);
    }

    void testTlsAlpn01IssuesForApiAndTunnelNames() {
        if (!prerequisites()) return;
        checkIssuance(Challenge::TlsAlpn01);
    }

    void testRestartReusesAccountAndCertificate() {
        if (!prerequisites()) return;
        AcmeRig rig;
        std::string first;
        {
            RportdProcess rportd({"-c", rig.writeConfig("first.conf", rig.config())},
                                 rig.dir().path());
            first = waitForVerifiedCertificate(rig.apiPort(), kApiName, rig.trustPath(), 60000);
            CPPUNIT_ASSERT_MESSAGE(rportd.output(), !first.empty());
            CPPUNIT_ASSERT_MESSAGE(rportd.output(),
                                   !waitForVerifiedCertificate(rig.apiPort(), kTunnelName,
                                                               rig.trustPath(), 60000)
                                        .empty());
            // Both names, one account: the second instance used the first's.
            CPPUNIT_ASSERT_EQUAL_MESSAGE(rportd.output(), size_t(1),
                                         occurrences(rportd.output(), kAccountCreated));
            CPPUNIT_ASSERT_EQUAL(size_t(2), occurrences(rportd.output(), kOrdering));
            CPPUNIT_ASSERT_EQUAL(0, rportd.stop());
        }
        // Started again without tunnel_enable_acme: the tunnel name is no
        // longer looked after at all.
        std::string conf = rig.config();
        for (const std::string& line :
             {"tunnel_host = \"" + kTunnelName + "\"\n", std::string("tunnel_enable_acme = true\n")})
            conf.erase(conf.find(line), line.size());
        RportdProcess again({"-c", rig.writeConfig("rportd.conf", conf)}, rig.dir().path());
        again.waitForApiPort();
        // The stored certificate is served from the first handshake on.
        TlsClient client(rig.apiPort(), {kApiName, rig.trustPath()});
        CPPUNIT_ASSERT_EQUAL(first, client.peerSerial());
        CPPUNIT_ASSERT_EQUAL(200, client.get("/api/v1/status", "admin", "foobaz"));
        std::this_thread::sleep_for(std::chrono::seconds(2));
        const std::string output = again.output();
        CPPUNIT_ASSERT_MESSAGE(output, output.find(kAccountCreated) == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(output, output.find(kOrdering) == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(output, output.find(kTunnelName) == std::string::npos);
    }

    void testRenewalWhileAClientKeepsRequesting() {
        if (!prerequisites()) return;
        RigOptions options;
        options.tunnel = false;
        options.validitySeconds = 24;  // renewal due after about 16 s
        AcmeRig rig(options);
        RportdProcess rportd({"-c", rig.writeConfig("rportd.conf", rig.config())},
                             rig.dir().path());
        const std::string first =
            waitForVerifiedCertificate(rig.apiPort(), kApiName, rig.trustPath(), 60000);
        CPPUNIT_ASSERT_MESSAGE(rportd.output(), !first.empty());
        const pid_t pid = rportd.pid();
        SteadyTlsClient client(rig.apiPort(), kApiName, rig.trustPath());
        const auto deadline = Clock::now() + std::chrono::seconds(40);
        while (Clock::now() < deadline &&
               (client.lastSerial().empty() || client.lastSerial() == first))
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const std::string renewed = client.lastSerial();
        // A few more requests on the new certificate.
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        client.stop();
        CPPUNIT_ASSERT_MESSAGE(rportd.output(), !renewed.empty() && renewed != first);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(client.lastFailure(), 0, client.failures());
        CPPUNIT_ASSERT(client.requests() > 50);
        CPPUNIT_ASSERT(rportd.running());
        CPPUNIT_ASSERT_EQUAL(pid, rportd.pid());
        // Renewal reused the account.
        CPPUNIT_ASSERT_EQUAL(size_t(1), occurrences(rportd.output(), kAccountCreated));
        std::cout << "\n  renewed while serving: " << client.requests() << " requests, 0 failed\n";
    }

    void testCaDownAtRenewalKeepsServingAndRetries() {
        if (!prerequisites()) return;
        RigOptions options;
        options.tunnel = false;
        options.validitySeconds = 45;  // renewal due after about 30 s
        AcmeRig rig(options);
        RportdProcess rportd({"-c", rig.writeConfig("rportd.conf", rig.config())},
                             rig.dir().path());
        const auto issuedAround = Clock::now();
        const std::string first =
            waitForVerifiedCertificate(rig.apiPort(), kApiName, rig.trustPath(), 60000);
        CPPUNIT_ASSERT_MESSAGE(rportd.output(), !first.empty());
        SteadyTlsClient client(rig.apiPort(), kApiName, rig.trustPath(), 100);
        rig.pebble().stop();

        // Past the renewal time the CA is unreachable: still the old
        // certificate, and /status says rportd is retrying.
        std::this_thread::sleep_for(std::chrono::seconds(36) - (Clock::now() - issuedAround));
        CPPUNIT_ASSERT_EQUAL(first, client.lastSerial());
        auto status = certificateStatus(rig.apiPort(), rig.trustPath(), "api");
        CPPUNIT_ASSERT(status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(rportd.output(), std::string("retrying"),
                                     status->getValue<std::string>("state"));
        CPPUNIT_ASSERT(!status->getValue<std::string>("last_error").empty());
        CPPUNIT_ASSERT(!status->getValue<std::string>("next_renewal").empty());

        // Every failed attempt was logged with the wait before the next one,
        // and the waits grow (1 s, 2 s, 4 s with these settings): a few
        // attempts, not a tight loop.
        const std::regex failureLine(
            "could not obtain a certificate for api\\.rport\\.test: [^\n]*\\(in ([0-9]+)(ms|s)\\)");
        const std::string output = rportd.output();
        std::vector<long> waitsMs;
        for (std::sregex_iterator it(output.begin(), output.end(), failureLine), end; it != end;
             ++it)
            waitsMs.push_back(std::stol((*it)[1]) * ((*it)[2] == "s" ? 1000 : 1));
        CPPUNIT_ASSERT_MESSAGE(output, waitsMs.size() >= 2 && waitsMs.size() <= 6);
        for (size_t i = 0; i < waitsMs.size(); ++i) {
            CPPUNIT_ASSERT_MESSAGE(output, waitsMs[i] >= 1000 && waitsMs[i] <= 4000);
            if (i > 0) CPPUNIT_ASSERT_MESSAGE(output, waitsMs[i] >= waitsMs[i - 1]);
        }
        CPPUNIT_ASSERT(waitsMs.back() > waitsMs.front());

        // The CA is back (a new pebble: new root, no memory of our account).
        rig.restartPebble();
        const auto deadline = Clock::now() + std::chrono::seconds(20);
        while (Clock::now() < deadline && client.lastSerial() == first)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        client.stop();
        CPPUNIT_ASSERT_MESSAGE(rportd.output(), client.lastSerial() != first);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(client.lastFailure(), 0, client.failures());
        status = certificateStatus(rig.apiPort(), rig.trustPath(), "api");
        CPPUNIT_ASSERT(status);
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), status->getValue<std::string>("state"));
    }

    void testImpossibleSetupsRefusedAtStart() {
        if (!prerequisites()) return;
        RigOptions options;
        options.tunnel = false;
        AcmeRig rig(options);
        struct Case {
            std::string what, config, expected;
        };
        const std::string port = std::to_string(rig.apiPort());
        const std::string base = rig.config();
        auto replaced = [&base](const std::string& from, const std::string& to) {
            std::string text = base;
            const size_t at = text.find(from);
            CPPUNIT_ASSERT_MESSAGE(from, at != std::string::npos);
            return text.replace(at, from.size(), to);
        };
        std::vector<Case> cases{
            {"no reachable challenge",
             replaced("challenges = [\"http-01\"]\n", "").replace(
                 base.find("acme_http_port"), 0, "# "),
             "acme_http_port"},
            {"an IP address in base_url",
             replaced("https://" + kApiName, "https://127.0.0.1"),
             "base_url must name a DNS host"},
            {"cert files and ACME together",
             replaced("enable_acme = true\n",
                      "enable_acme = true\ncert_file = \"/etc/hosts\"\nkey_file = \"/etc/hosts\"\n"),
             "cannot be used together"},
            {"tunnel ACME without a tunnel_host",
             replaced("[api]", "tunnel_enable_acme = true\n[api]"),
             "tunnel_host must be set when tunnel_enable_acme is set"},
        };
        // data_dir/acme taken by a file: nothing can be stored there.
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir((rig.dir().path() + "/blocked").c_str(), 0700));
        rig.writeConfig("blocked/acme", "not a directory\n");
        cases.push_back({"an unusable data_dir/acme",
                         replaced("data_dir = \"" + rig.dataDir() + "\"",
                                  "data_dir = \"" + rig.dir().path() + "/blocked\""),
                         "/blocked/acme"});
        for (const auto& c : cases) {
            const auto started = Clock::now();
            RunResult run = runRportd({"-c", rig.writeConfig("bad.conf", c.config)}, rig.dir().path());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what + ": " + run.output, 1, run.exitCode);
            CPPUNIT_ASSERT_MESSAGE(c.what + ": " + run.output,
                                   run.output.find(c.expected) != std::string::npos);
            // Refused before anything was ordered.
            CPPUNIT_ASSERT_MESSAGE(c.what + ": " + run.output,
                                   run.output.find(kOrdering) == std::string::npos);
            CPPUNIT_ASSERT(Clock::now() - started < std::chrono::seconds(10));
        }

        // --check-config reads a good ACME setup and orders nothing.
        RunResult check = runRportd({"--check-config", "-c", rig.writeConfig("good.conf", base)},
                                    rig.dir().path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(check.output, 0, check.exitCode);
        CPPUNIT_ASSERT_MESSAGE(check.output,
                               check.output.find("configuration OK") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(check.output, check.output.find(kOrdering) == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(check.output, check.output.find(kAccountCreated) == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmeRportdTest);
