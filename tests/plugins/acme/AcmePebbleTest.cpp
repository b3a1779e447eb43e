// The acme provider against a real ACME server: pebble on loopback, its
// validation authority really connecting to the challenge responders here
// (no PEBBLE_VA_ALWAYS_VALID). Skipped when pebble is not installed.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "AcmeTestKit.h"
#include "PebbleServer.h"
#include "Skip.h"

using namespace rport::test;
using namespace rport::test::acme;

namespace {

using Clock = std::chrono::steady_clock;

void configure(Harness& h, const PebbleServer& pebble, const std::string& name) {
    h.host.settings = {{"host", name},
                       {"directory_url", pebble.directoryUrl()},
                       {"ca_bundle", pebble.minicaPath()},
                       {"acme_http_port", std::to_string(pebble.httpPort())},
                       {"challenges", "http-01"},
                       {"email", "admin@rport.test"},
                       {"retry_min", "1s"}};
}

// pebble as it runs by default: 5 % of good nonces refused with badNonce,
// so every test here goes through the retry now and then.
PebbleOptions withPebbleDefaults(PebbleOptions options = PebbleOptions()) {
    if (options.nonceRejectPercent == 0) options.nonceRejectPercent = 5;
    return options;
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The newest status report.
rport::sdk::ProviderStatus lastStatus(const Harness& h) {
    auto s = h.lastStatus();
    CPPUNIT_ASSERT_MESSAGE("no status report", s.has_value());
    return *s;
}

bool issued(const Harness& h, int count = 1) { return h.host.certChangedCount() >= count; }

}  // namespace

class AcmePebbleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmePebbleTest);
    CPPUNIT_TEST(issuesWithHttp01);
    CPPUNIT_TEST(restartReusesAccountAndCertificate);
    CPPUNIT_TEST(badNonceIsRetried);
    CPPUNIT_TEST(externalAccountBinding);
    CPPUNIT_TEST(unansweredChallengeIsRetried);
    CPPUNIT_TEST(issuesWithTlsAlpn01);
    CPPUNIT_TEST(rsaCertificateKey);
    CPPUNIT_TEST(twoInstancesOrderOnce);
    CPPUNIT_TEST(renewsAtTwoThirdsOfTheLifetime);
    CPPUNIT_TEST(storageFailureKeepsTheIssuedCertificate);
    CPPUNIT_TEST(veryShortCertificatesKeepTheBackoff);
    CPPUNIT_TEST_SUITE_END();

    bool skip() {
        if (PebbleServer::installed()) return false;
        skipTest(PebbleServer::missingReason());
        return true;
    }

public:
    void issuesWithHttp01() {
        if (skip()) return;
        PebbleServer pebble(withPebbleDefaults());
        Harness h;
        configure(h, pebble, "api.rport.test");
        Http01Responder responder(pebble.httpPort(), {&h.host});

        const auto start = Clock::now();
        h.create();
        // Nothing yet: the order runs on the plugin's worker.
        if (h.host.certChangedCount() == 0) CPPUNIT_ASSERT(!h.current());
        CPPUNIT_ASSERT_MESSAGE(h.logText() + pebble.log(),
                               h.driveUntil([&] { return issued(h); }, 30000));
        const double took = secondsSince(start);
        std::cout << "\nissued by pebble in " << took << " s (create() to certChanged)"
                  << std::endl;
        CPPUNIT_ASSERT_MESSAGE("issuance took " + std::to_string(took) + " s", took < 5.0);

        const auto bundle = h.current();
        CPPUNIT_ASSERT(bundle);
        CPPUNIT_ASSERT_EQUAL(std::string(""), verifyChain(bundle->chainPem, pebble.rootPath()));
        CPPUNIT_ASSERT(leafDnsNames(bundle->chainPem) ==
                       std::vector<std::string>{"api.rport.test"});
        CPPUNIT_ASSERT_EQUAL(std::string("EC prime256v1"), keyDescription(bundle->keyPem));
        CPPUNIT_ASSERT(bundle->notAfter > bundle->notBefore);
        CPPUNIT_ASSERT(responder.answered() >= 1);
        CPPUNIT_ASSERT(h.host.http01Tokens().empty());  // withdrawn once validated

        // One info line per milestone, debug lines per request.
        CPPUNIT_ASSERT_EQUAL(
            size_t(1), h.countLogs(RPORT_LOG_INFO, "ordering a certificate for api.rport.test"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h.countLogs(RPORT_LOG_INFO, "created ACME account"));
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h.countLogs(RPORT_LOG_INFO, "answering the http-01 challenge"));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1), h.countLogs(RPORT_LOG_INFO, "api.rport.test validated by the CA (http-01)"));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            h.countLogs(RPORT_LOG_INFO, "certificate for api.rport.test issued: serial " +
                                            leafSerial(bundle->chainPem)));
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h.countLogs(RPORT_LOG_INFO, "next renewal of api.rport.test at"));
        CPPUNIT_ASSERT(h.countLogs(RPORT_LOG_DEBUG, "POST https://127.0.0.1:") >= 6);
        CPPUNIT_ASSERT(h.countLogs(RPORT_LOG_DEBUG, "-> 201") >= 2);
        CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs(RPORT_LOG_ERROR, ""));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs(RPORT_LOG_WARNING, ""));

        // Status: issuing, then valid with the certificate's expiry and the
        // planned renewal.
        CPPUNIT_ASSERT(h.sawState("issuing"));
        const auto status = lastStatus(h);
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), status.state);
        CPPUNIT_ASSERT_EQUAL(std::string("api.rport.test"), status.name);
        CPPUNIT_ASSERT_EQUAL(bundle->notAfter, status.notAfter);
        CPPUNIT_ASSERT(status.nextAttempt > bundle->notBefore &&
                       status.nextAttempt < bundle->notAfter);
        CPPUNIT_ASSERT(status.lastError.empty());

        // Stored with private modes.
        const std::string folder =
            h.stateDir() + "/127.0.0.1-" + std::to_string(pebble.acmePort()) + "-dir";
        CPPUNIT_ASSERT_EQUAL(0600, fileMode(folder + "/account.key.pem"));
        CPPUNIT_ASSERT_EQUAL(0600, fileMode(folder + "/api.rport.test/privkey.pem"));
        CPPUNIT_ASSERT_EQUAL(bundle->chainPem, readFile(folder + "/api.rport.test/fullchain.pem"));
        CPPUNIT_ASSERT(readFile(folder + "/account.url").find("https://127.0.0.1:") == 0);
    }

    void restartReusesAccountAndCertificate() {
        if (skip()) return;
        PebbleServer pebble(withPebbleDefaults());
        TempDir data;
        std::string serial;
        {
            Harness first(data.path());
            configure(first, pebble, "api.rport.test");
            Http01Responder responder(pebble.httpPort(), {&first.host});
            first.create();
            CPPUNIT_ASSERT_MESSAGE(first.logText(),
                                   first.driveUntil([&] { return issued(first); }, 30000));
            serial = leafSerial(first.current()->chainPem);
        }
        // rportd restarts: the stored certificate is served from create() on,
        // and nothing is ordered.
        Harness second(data.path());
        configure(second, pebble, "api.rport.test");
        second.create();
        const auto bundle = second.current();
        CPPUNIT_ASSERT_MESSAGE(second.logText(), bundle.has_value());
        CPPUNIT_ASSERT_EQUAL(serial, leafSerial(bundle->chainPem));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            second.countLogs(RPORT_LOG_INFO, "using the stored certificate for api.rport.test"));
        second.driveFor(1500);
        CPPUNIT_ASSERT_EQUAL(0, second.host.certChangedCount());
        CPPUNIT_ASSERT_EQUAL(size_t(0), second.countLogs("ordering a certificate"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), second.countLogs("/order-plz"));  // pebble's newOrder
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), lastStatus(second).state);
        second.destroy();

        {
            // Another name on the same directory reuses the account.
            Harness third(data.path());
            configure(third, pebble, "tunnel.rport.test");
            Http01Responder responder(pebble.httpPort(), {&third.host});
            third.create();
            CPPUNIT_ASSERT_MESSAGE(third.logText(),
                                   third.driveUntil([&] { return issued(third); }, 30000));
            CPPUNIT_ASSERT_EQUAL(size_t(0), third.countLogs("created ACME account"));
            CPPUNIT_ASSERT_EQUAL(
                size_t(1),
                third.countLogs(RPORT_LOG_DEBUG, "using ACME account https://127.0.0.1:"));
        }

        // The key without its URL (the file lost): the account is looked up
        // with onlyReturnExisting, not created again.
        const std::string folder =
            data.path() + "/acme/127.0.0.1-" + std::to_string(pebble.acmePort()) + "-dir";
        const std::string url = readFile(folder + "/account.url");
        ::unlink((folder + "/account.url").c_str());
        {
            Harness fourth(data.path());
            configure(fourth, pebble, "lost.rport.test");
            Http01Responder r4(pebble.httpPort(), {&fourth.host});
            fourth.create();
            CPPUNIT_ASSERT_MESSAGE(fourth.logText(),
                                   fourth.driveUntil([&] { return issued(fourth); }, 30000));
            CPPUNIT_ASSERT_EQUAL(
                size_t(1), fourth.countLogs(RPORT_LOG_INFO, "found the existing ACME account"));
            CPPUNIT_ASSERT_EQUAL(size_t(0), fourth.countLogs("created ACME account"));
            CPPUNIT_ASSERT_EQUAL(url, readFile(folder + "/account.url"));
        }

        // A stored URL the CA does not know (say, it was deactivated): the
        // order is refused with accountDoesNotExist, the key is looked up again.
        TempDir scratch;
        ::rename(
            scratch
                .write("account.url", "https://127.0.0.1:" + std::to_string(pebble.acmePort()) +
                                          "/my-account/0000000000000000\n")
                .c_str(),
            (folder + "/account.url").c_str());
        Harness fifth(data.path());
        configure(fifth, pebble, "stale.rport.test");
        Http01Responder r5(pebble.httpPort(), {&fifth.host});
        fifth.create();
        CPPUNIT_ASSERT_MESSAGE(fifth.logText(),
                               fifth.driveUntil([&] { return issued(fifth); }, 30000));
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             fifth.countLogs(RPORT_LOG_DEBUG, "the CA does not know account"));
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             fifth.countLogs(RPORT_LOG_INFO, "found the existing ACME account"));
        CPPUNIT_ASSERT_EQUAL(url, readFile(folder + "/account.url"));
    }

    void badNonceIsRetried() {
        if (skip()) return;
        PebbleOptions options;
        options.nonceRejectPercent = 40;
        PebbleServer pebble(withPebbleDefaults(options));
        // One issuance makes about ten signed requests; should pebble happen
        // to accept all of them, order another name.
        int retried = 0;
        for (const char* name : {"nonce1.rport.test", "nonce2.rport.test", "nonce3.rport.test"}) {
            Harness h;
            configure(h, pebble, name);
            Http01Responder responder(pebble.httpPort(), {&h.host});
            h.create();
            CPPUNIT_ASSERT_MESSAGE(h.logText() + pebble.log(),
                                   h.driveUntil([&] { return issued(h); }, 60000));
            retried += int(
                h.countLogs(RPORT_LOG_DEBUG, "retrying with the nonce from the error response"));
            // Silent: a retried nonce is no warning.
            CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs(RPORT_LOG_WARNING, ""));
            if (retried > 0) break;
        }
        CPPUNIT_ASSERT(retried >= 1);
    }

    void externalAccountBinding() {
        if (skip()) return;
        PebbleOptions options;
        options.externalAccountBindingRequired = true;
        options.externalAccountMacKeys = {
            {"kid-1", "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"}};
        PebbleServer pebble(withPebbleDefaults(options));
        {
            // Without the binding: refused, in plain words, and left for the operator.
            Harness h;
            configure(h, pebble, "eab.rport.test");
            h.create();
            CPPUNIT_ASSERT_MESSAGE(h.logText(),
                                   h.driveUntil([&] { return h.sawState("failed"); }, 30000));
            const auto status = lastStatus(h);
            CPPUNIT_ASSERT_MESSAGE(
                status.lastError,
                status.lastError.find("set [acme] eab_kid and eab_hmac_key") != std::string::npos);
            CPPUNIT_ASSERT(status.nextAttempt > 0);
            CPPUNIT_ASSERT_EQUAL(size_t(1),
                                 h.countLogs(RPORT_LOG_ERROR, "eab_kid and eab_hmac_key"));
        }
        {
            // A wrong key: pebble's own refusal reaches the operator.
            Harness h;
            configure(h, pebble, "eab.rport.test");
            h.host.settings["eab_kid"] = "kid-1";
            h.host.settings["eab_hmac_key"] =
                "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH";
            h.create();
            CPPUNIT_ASSERT_MESSAGE(
                h.logText(),
                h.driveUntil([&] { return h.countLogs(RPORT_LOG_ERROR, "") > 0; }, 30000));
            CPPUNIT_ASSERT_MESSAGE(h.logText(),
                                   h.countLogs(RPORT_LOG_ERROR, "creating the ACME account") == 1);
        }
        Harness h;
        configure(h, pebble, "eab.rport.test");
        h.host.settings["eab_kid"] = "kid-1";
        h.host.settings["eab_hmac_key"] =
            "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
        Http01Responder responder(pebble.httpPort(), {&h.host});
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText() + pebble.log(),
                               h.driveUntil([&] { return issued(h); }, 30000));
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             verifyChain(h.current()->chainPem, pebble.rootPath()));
    }

    void unansweredChallengeIsRetried() {
        if (skip()) return;
        PebbleServer pebble(withPebbleDefaults());
        Harness h;
        configure(h, pebble, "nobody.rport.test");
        h.host.settings["retry_min"] = "1m";
        // No responder on pebble's HTTP port: the validation cannot connect.
        const int64_t before = time(nullptr);
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText() + pebble.log(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 30000));
        const auto status = lastStatus(h);
        CPPUNIT_ASSERT_EQUAL(std::string("retrying"), status.state);
        CPPUNIT_ASSERT_MESSAGE(
            status.lastError, status.lastError.find("validation of nobody.rport.test failed") == 0);
        CPPUNIT_ASSERT_MESSAGE(status.lastError,
                               status.lastError.find("could not connect") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            status.lastError,
            status.lastError.find("port 80 must reach rportd's acme_http_port (port " +
                                  std::to_string(pebble.httpPort()) + ")") != std::string::npos);
        CPPUNIT_ASSERT(status.lastErrorAt >= before);
        CPPUNIT_ASSERT(status.nextAttempt >= before + 59 &&
                       status.nextAttempt <= time(nullptr) + 61);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), status.notAfter);
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            h.countLogs(RPORT_LOG_ERROR, "could not obtain a certificate for nobody.rport.test"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h.countLogs(RPORT_LOG_ERROR, "Next attempt at"));
        CPPUNIT_ASSERT(!h.current());
        CPPUNIT_ASSERT(h.host.http01Tokens().empty());
        // It waits for retry_min, not less.
        h.driveFor(500);
        CPPUNIT_ASSERT_EQUAL(size_t(1), h.countLogs("ordering a certificate"));
    }

    void issuesWithTlsAlpn01() {
        if (skip()) return;
        PebbleServer pebble(withPebbleDefaults());
        Harness h;
        configure(h, pebble, "alpn.rport.test");
        h.host.settings["challenges"] = "tls-alpn-01";
        TlsAlpnResponder responder(pebble.tlsPort(), &h.host);
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText() + pebble.log(),
                               h.driveUntil([&] { return issued(h); }, 30000));
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h.countLogs(RPORT_LOG_INFO, "answering the tls-alpn-01 challenge"));
        CPPUNIT_ASSERT(responder.answered() >= 1);
        CPPUNIT_ASSERT(h.host.tlsAlpn01().empty());
        CPPUNIT_ASSERT(h.host.http01Tokens().empty());
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             verifyChain(h.current()->chainPem, pebble.rootPath()));
    }

    void rsaCertificateKey() {
        if (skip()) return;
        PebbleServer pebble(withPebbleDefaults());
        Harness h;
        configure(h, pebble, "rsa.rport.test");
        h.host.settings["key_type"] = "rsa";
        Http01Responder responder(pebble.httpPort(), {&h.host});
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil([&] { return issued(h); }, 30000));
        CPPUNIT_ASSERT_EQUAL(std::string("RSA 2048"), keyDescription(h.current()->keyPem));
    }

    void twoInstancesOrderOnce() {
        if (skip()) return;
        PebbleServer pebble(withPebbleDefaults());
        TempDir data;
        Harness a(data.path());
        Harness b(data.path());
        configure(a, pebble, "shared.rport.test");
        configure(b, pebble, "shared.rport.test");
        Http01Responder responder(pebble.httpPort(), {&a.host, &b.host});
        a.create();
        b.create();
        CPPUNIT_ASSERT_MESSAGE(a.logText() + "---\n" + b.logText(), a.driveUntil(
                                                                        [&] {
                                                                            b.host.fireTimers();
                                                                            return issued(a) &&
                                                                                   issued(b);
                                                                        },
                                                                        60000));
        CPPUNIT_ASSERT_EQUAL(size_t(1), a.countLogs("ordering a certificate") +
                                            b.countLogs("ordering a certificate"));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1), a.countLogs("created ACME account") + b.countLogs("created ACME account"));
        CPPUNIT_ASSERT_EQUAL(leafSerial(a.current()->chainPem), leafSerial(b.current()->chainPem));
        CPPUNIT_ASSERT_EQUAL(size_t(1), a.countLogs("another rportd instance stored") +
                                            b.countLogs("another rportd instance stored"));
    }

    void renewsAtTwoThirdsOfTheLifetime() {
        if (skip()) return;
        PebbleOptions options;
        options.certificateValiditySeconds = 6;
        PebbleServer pebble(withPebbleDefaults(options));
        Harness h;
        configure(h, pebble, "short.rport.test");
        Http01Responder responder(pebble.httpPort(), {&h.host});
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil([&] { return issued(h); }, 30000));
        const auto first = *h.current();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil([&] { return issued(h, 2); }, 30000));
        const int64_t renewedAt = time(nullptr);
        const auto second = *h.current();
        h.destroy();  // before the second one is renewed in turn
        CPPUNIT_ASSERT(leafSerial(first.chainPem) != leafSerial(second.chainPem));
        // Not before two thirds of the first one's lifetime (whole seconds).
        CPPUNIT_ASSERT(renewedAt >= first.notBefore + (first.notAfter - first.notBefore) * 2 / 3);
        CPPUNIT_ASSERT(h.sawState("renewing"));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            h.countLogs(RPORT_LOG_INFO, "to replace serial " + leafSerial(first.chainPem)));
        // The replaced pair is kept as the backup.
        const std::string folder = h.stateDir() + "/127.0.0.1-" +
                                   std::to_string(pebble.acmePort()) + "-dir/short.rport.test";
        CPPUNIT_ASSERT_EQUAL(first.chainPem, readFile(folder + "/fullchain.previous.pem"));
        CPPUNIT_ASSERT_EQUAL(std::string(first.keyPem.view()),
                             readFile(folder + "/privkey.previous.pem"));
        CPPUNIT_ASSERT_EQUAL(0600, fileMode(folder + "/privkey.previous.pem"));
    }

    // Storing the issued certificate fails (here: fullchain.pem is a
    // directory, which even root cannot rename a file over): it is served
    // and announced all the same, the status says what to fix, and only the
    // write is retried, never the order.
    void storageFailureKeepsTheIssuedCertificate() {
        if (skip()) return;
        PebbleServer pebble(withPebbleDefaults());
        Harness h;
        configure(h, pebble, "disk.rport.test");
        Http01Responder responder(pebble.httpPort(), {&h.host});
        const std::string folder =
            h.stateDir() + "/127.0.0.1-" + std::to_string(pebble.acmePort()) + "-dir";
        const std::string blocker = folder + "/disk.rport.test/fullchain.pem";
        for (const std::string& d : {h.stateDir(), folder, folder + "/disk.rport.test", blocker})
            ::mkdir(d.c_str(), 0700);
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText() + pebble.log(),
                               h.driveUntil([&] { return issued(h); }, 30000));
        const auto bundle = h.current();
        CPPUNIT_ASSERT(bundle);
        CPPUNIT_ASSERT_EQUAL(std::string(""), verifyChain(bundle->chainPem, pebble.rootPath()));
        const auto status = lastStatus(h);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), status.state);
        CPPUNIT_ASSERT_MESSAGE(
            status.lastError,
            status.lastError.find("is in service but could not be stored") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(bundle->notAfter, status.notAfter);
        // Write retries (retry_min 1s, doubling) fail too, but order nothing.
        h.driveFor(3500);
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.countLogs(RPORT_LOG_ERROR, "could not be stored") >= 2);
        CPPUNIT_ASSERT_EQUAL(size_t(1), h.countLogs(RPORT_LOG_INFO, "ordering a certificate"));
        CPPUNIT_ASSERT_EQUAL(1, h.host.certChangedCount());
        // The operator fixes the disk and sends SIGHUP: written at once.
        ::rmdir(blocker.c_str());
        h.provider->renewNow();
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return lastStatus(h).state == "valid"; }, 10000));
        CPPUNIT_ASSERT_EQUAL(bundle->chainPem, readFile(blocker));
        CPPUNIT_ASSERT_EQUAL(std::string(bundle->keyPem.view()),
                             readFile(folder + "/disk.rport.test/privkey.pem"));
        CPPUNIT_ASSERT(lastStatus(h).lastError.empty());
        CPPUNIT_ASSERT_EQUAL(size_t(1), h.countLogs(RPORT_LOG_INFO, "ordering a certificate"));
        CPPUNIT_ASSERT_EQUAL(1, h.host.certChangedCount());
        CPPUNIT_ASSERT_EQUAL(size_t(1), h.countLogs(RPORT_LOG_INFO, "stored the certificate"));
    }

    // A CA issuing 1-second certificates: each is due (or expired) at
    // once; the worker backs off (retry_min 1s, doubling) instead of
    // ordering back to back.
    void veryShortCertificatesKeepTheBackoff() {
        if (skip()) return;
        PebbleOptions options;
        options.certificateValiditySeconds = 1;
        options.nonceRejectPercent = 0;
        PebbleServer pebble(options);
        Harness h;
        configure(h, pebble, "tiny.rport.test");
        Http01Responder responder(pebble.httpPort(), {&h.host});
        h.create();
        h.driveFor(3500);
        const size_t orders = h.countLogs(RPORT_LOG_INFO, "ordering a certificate");
        h.destroy();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), orders >= 1 && orders <= 3);
        CPPUNIT_ASSERT_MESSAGE(
            h.logText(),
            h.countLogs("due for renewal at once") + h.countLogs("expired already") >= 1);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmePebbleTest);
