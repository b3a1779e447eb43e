// The acme provider through acme.so and the fake host, without a CA: what
// create() refuses and how it says so, an older rportd, the stored
// certificate served at once after a restart, renewal and retry state when
// the CA cannot be reached, and destroy() ending a request in flight.
#include <cppunit/extensions/HelperMacros.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>

#include "AcmeTestKit.h"
#include "Subprocess.h"

using namespace rport::test;
using namespace rport::test::acme;

namespace {

// The message create() fails with ("" when it succeeds).
std::string createError(Harness& h) {
    try {
        h.create();
        return "";
    } catch (const rport::sdk::Error& e) {
        return e.what();
    }
}

void baseSettings(Harness& h, uint16_t port) {
    h.host.settings = {{"host", "rport.example.com"},
                       {"directory_url", "https://127.0.0.1:" + std::to_string(port) + "/dir"},
                       {"retry_min", "1m"}};
}

// Stores a pair where the provider looks for it.
void store(const Harness& h, uint16_t port, const std::string& name, const TestPair& pair) {
    const std::string folder = h.stateDir() + "/127.0.0.1-" + std::to_string(port) + "-dir";
    for (const std::string& d : {h.stateDir(), folder, folder + "/" + name})
        ::mkdir(d.c_str(), 0700);
    const std::string dir = folder + "/" + name;
    FILE* f = fopen((dir + "/fullchain.pem").c_str(), "w");
    fputs(pair.chainPem.c_str(), f);
    fclose(f);
    f = fopen((dir + "/privkey.pem").c_str(), "w");
    fputs(pair.keyPem.c_str(), f);
    fclose(f);
}

bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

#define ASSERT_HAS(text, needle) CPPUNIT_ASSERT_MESSAGE(std::string(text), has(text, needle))

double secondsOf(const std::function<void()>& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// RFC 9773 §4.1's example: this AKI keyIdentifier and serial 0x87654321.
const char* const kRfcAriId = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";

TestPair rfcExampleCertificate() {
    const unsigned char aki[] = {0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3,
                                 0x7B, 0x84, 0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4};
    return selfSigned("rport.example.com", -86400, 89 * 86400, false,
                      std::string(reinterpret_cast<const char*>(aki), sizeof aki), "87654321");
}

std::string directory(const std::string& base) {
    return R"({"newNonce":")" + base + R"(/nonce","newAccount":")" + base +
           R"(/new-acct","newOrder":")" + base + R"(/new-order","renewalInfo":")" + base +
           R"(/ari"})";
}

std::string rfc3339(int64_t t) {
    const time_t tt = static_cast<time_t>(t);
    struct tm tm {};
    gmtime_r(&tt, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string renewalInfo(int64_t start, int64_t end) {
    return R"({"suggestedWindow":{"start":")" + rfc3339(start) + R"(","end":")" + rfc3339(end) +
           R"("}})";
}

}  // namespace

class AcmeProviderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmeProviderTest);
    CPPUNIT_TEST(refusesBadHostNames);
    CPPUNIT_TEST(refusesBadSettings);
    CPPUNIT_TEST(ignoresUnknownSettings);
    CPPUNIT_TEST(olderRportdLoadsButRefusesCreate);
    CPPUNIT_TEST(unwritableStateDirectory);
    CPPUNIT_TEST(storedCertificateIsServedAtOnce);
    CPPUNIT_TEST(expiredStoredCertificateIsNotServed);
    CPPUNIT_TEST(mismatchedStoredKeyIsNotServed);
    CPPUNIT_TEST(interruptedWriteServesTheBackupPair);
    CPPUNIT_TEST(dueCertificateStaysInServiceWhileRetrying);
    CPPUNIT_TEST(renewNowOnlyChecks);
    CPPUNIT_TEST(otherKeyTypeIsServedAndReplaced);
    CPPUNIT_TEST(destroyEndsARequestInFlight);
    CPPUNIT_TEST(renewalInformationPlansTheRenewal);
    CPPUNIT_TEST(pastWindowRenewsWithReplacesAndHonoursRateLimits);
    CPPUNIT_TEST(hugeRetryAfterIsBoundedByTheCertificate);
    CPPUNIT_TEST(renewalWindowPastExpiryIsNotUsed);
    CPPUNIT_TEST(oversizedAnswerIsRefused);
    CPPUNIT_TEST(untrustedServerSaysWhatToDo);
    CPPUNIT_TEST(noChallengeWeMayAnswer);
    CPPUNIT_TEST(hostileTokenIsNotPublished);
    CPPUNIT_TEST(refusedChallengeTypeFallsBack);
    CPPUNIT_TEST(closingHostIsNotAnError);
    CPPUNIT_TEST(alreadyFinalizedOrderIsAClearFailure);
    CPPUNIT_TEST_SUITE_END();

public:
    void refusesBadHostNames() {
        const std::pair<const char*, const char*> cases[] = {
            {"", "it is empty"},
            {"192.0.2.10", "it is an IP address"},
            {"2001:db8::1", "it is an IP address"},
            {"[2001:db8::1]", "it is an IP address"},
            {"*.example.com", "wildcard"},
            {"localhost", "it has no dot"},
            {"bad_name.example.com", "contains '_'"},
            {"a..example.com", "empty label"},
            {"-a.example.com", "starts or ends with '-'"},
        };
        for (const auto& [name, why] : cases) {
            Harness h;
            baseSettings(h, 1);
            h.host.settings["host"] = name;
            const std::string error = createError(h);
            ASSERT_HAS(error, "setting 'host' (\"" + std::string(name) + "\") cannot be used");
            ASSERT_HAS(error, why);
        }
        Harness missing;
        baseSettings(missing, 1);
        missing.host.settings.erase("host");
        ASSERT_HAS(createError(missing), "missing setting 'host'");
    }

    void refusesBadSettings() {
        const std::tuple<const char*, const char*, const char*> cases[] = {
            {"directory_url", "http://ca.test/dir", "must be an https:// URL"},
            {"retry_min", "10", "setting 'retry_min' must be a positive duration"},
            {"retry_max", "1d", "setting 'retry_max' must be a positive duration"},
            {"retry_max", "30s", "'retry_max' (30s) is shorter than 'retry_min' (1m)"},
            {"challenges", "dns-01", "unknown challenge \"dns-01\""},
            {"challenges", " , ", "lists no challenge"},
            {"key_type", "ed25519", "must be \"ecdsa\" (P-256) or \"rsa\" (RSA 2048)"},
            {"email", "two@a.com,three@b.com", "setting 'email' must be one address"},
            {"eab_kid", "kid-1", "'eab_kid' and 'eab_hmac_key' go together"},
            {"eab_hmac_key", "abc", "'eab_kid' and 'eab_hmac_key' go together"},
            {"ca_bundle", "/nonexistent/ca.pem", "cannot read \"/nonexistent/ca.pem\""},
        };
        for (const auto& [key, value, why] : cases) {
            Harness h;
            baseSettings(h, 1);
            h.host.settings[key] = value;
            ASSERT_HAS(createError(h), why);
        }
        Harness badMac;
        baseSettings(badMac, 1);
        badMac.host.settings["eab_kid"] = "kid-1";
        badMac.host.settings["eab_hmac_key"] = "not+base64url/";
        ASSERT_HAS(createError(badMac), "'eab_hmac_key' must be the base64url text");
        // Padding, as rportd's config check accepts it: up to two '='.
        for (const char* padded :
             {"c2VjcmV0LWtleQ==", "c2VjcmV0LWtleQ", "c2VjcmV0LWtleTE=", "c2VjcmV0LWtleTEy"}) {
            Harness h;
            baseSettings(h, freeLoopbackPort());
            h.host.settings["eab_kid"] = "kid-1";
            h.host.settings["eab_hmac_key"] = padded;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(padded, std::string(""), createError(h));
        }
        for (const char* bad : {"c2VjcmV0LWtleQ===", "=", "==", "c2Vj=cmV0"}) {
            Harness h;
            baseSettings(h, 1);
            h.host.settings["eab_kid"] = "kid-1";
            h.host.settings["eab_hmac_key"] = bad;
            ASSERT_HAS(createError(h), "'eab_hmac_key' must be the base64url text");
        }
        Harness notPem;
        baseSettings(notPem, 1);
        notPem.host.settings["ca_bundle"] = notPem.dataDir() + "/x.pem";
        FILE* f = fopen(notPem.host.settings["ca_bundle"].c_str(), "w");
        fputs("hello\n", f);
        fclose(f);
        ASSERT_HAS(createError(notPem), "holds no PEM certificate");
    }

    void ignoresUnknownSettings() {
        Harness h;
        baseSettings(h, freeLoopbackPort());
        h.host.settings["challenge_webroot"] = "/var/lib/rport/acme-webroot";
        h.host.settings["acme_http_port"] = "80";
        h.host.settings["base_url"] = "https://rport.example.com";
        h.host.settings["email"] = "mailto:admin@example.com";
        h.host.settings["host"] = "RPort.Example.com.";
        CPPUNIT_ASSERT_EQUAL(std::string(""), createError(h));
        const auto first = h.host.statusReports().front();  // the worker may have moved on since
        CPPUNIT_ASSERT_EQUAL(std::string("rport.example.com"), first.name);
        CPPUNIT_ASSERT_EQUAL(std::string("issuing"), first.state);
    }

    void olderRportdLoadsButRefusesCreate() {
        Harness h("", 0);  // the plugin loaded (entry succeeded) in a 1.0 host
        baseSettings(h, 1);
        const std::string error = createError(h);
        ASSERT_HAS(error, "rportd is too old");
        ASSERT_HAS(error, "ABI 1.1 needed");
        ASSERT_HAS(error, "offers ABI 1.0");
    }

    void unwritableStateDirectory() {
        Harness h;
        baseSettings(h, 1);
        h.host.stateDir = "/proc/self/rport-acme";
        const std::string error = createError(h);
        ASSERT_HAS(error, "/proc/self/rport-acme is not writable");
        ASSERT_HAS(error, "chown");
    }

    void storedCertificateIsServedAtOnce() {
        SilentServer ca;  // even a CA that hangs does not delay it
        Harness h;
        baseSettings(h, ca.port());
        const auto pair = selfSigned("rport.example.com", -86400, 89 * 86400);
        store(h, ca.port(), "rport.example.com", pair);
        h.create();
        const auto bundle = h.current();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), bundle.has_value());
        CPPUNIT_ASSERT_EQUAL(pair.chainPem, bundle->chainPem);
        CPPUNIT_ASSERT_EQUAL(pair.keyPem, std::string(bundle->keyPem.view()));
        CPPUNIT_ASSERT_EQUAL(0, h.host.certChangedCount());
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), h.lastStatus()->state);
        CPPUNIT_ASSERT_EQUAL(bundle->notAfter, h.lastStatus()->notAfter);
        // Renewal at two thirds: day 59 of 90.
        CPPUNIT_ASSERT(std::abs(h.lastStatus()->nextAttempt - (bundle->notBefore + 60 * 86400)) <=
                       2);
        ASSERT_HAS(h.logText(),
                   "INFO using the stored certificate for rport.example.com (serial 0A1B2C3D4E5F");
        h.driveFor(300);
        CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs("ordering a certificate"));
    }

    void expiredStoredCertificateIsNotServed() {
        const uint16_t closed = freeLoopbackPort();
        Harness h;
        baseSettings(h, closed);
        store(h, closed, "rport.example.com", selfSigned("rport.example.com", -90 * 86400, -86400));
        h.create();
        std::optional<rport::sdk::CertBundle> none;
        const auto result = h.provider->current(none);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), result.code);
        ASSERT_HAS(result.message, "no certificate for rport.example.com yet");
        ASSERT_HAS(h.logText(),
                   "WARN not using the stored certificate for rport.example.com: it expired at");
        CPPUNIT_ASSERT_EQUAL(std::string("issuing"), h.host.statusReports().front().state);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), h.host.statusReports().front().notAfter);
    }

    void mismatchedStoredKeyIsNotServed() {
        const uint16_t closed = freeLoopbackPort();
        Harness h;
        baseSettings(h, closed);
        auto pair = selfSigned("rport.example.com", -86400, 89 * 86400);
        pair.keyPem = selfSigned("rport.example.com", 0, 86400).keyPem;
        store(h, closed, "rport.example.com", pair);
        h.create();
        CPPUNIT_ASSERT(!h.current());
        ASSERT_HAS(h.logText(), "privkey.pem is not the key of");
    }

    // A crash between the key's rename and the chain's: the current pair
    // does not match, the backup pair does and is valid: it is served.
    void interruptedWriteServesTheBackupPair() {
        const uint16_t closed = freeLoopbackPort();
        Harness h;
        baseSettings(h, closed);
        const auto good = selfSigned("rport.example.com", -86400, 89 * 86400);
        auto broken = good;
        broken.keyPem = selfSigned("rport.example.com", 0, 86400).keyPem;  // the new key
        store(h, closed, "rport.example.com", broken);
        const std::string dir =
            h.stateDir() + "/127.0.0.1-" + std::to_string(closed) + "-dir/rport.example.com";
        for (const auto& [file, text] :
             {std::make_pair(std::string("/fullchain.previous.pem"), good.chainPem),
              std::make_pair(std::string("/privkey.previous.pem"), good.keyPem)}) {
            FILE* f = fopen((dir + file).c_str(), "w");
            fputs(text.c_str(), f);
            fclose(f);
        }
        h.create();
        const auto bundle = h.current();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), bundle.has_value());
        CPPUNIT_ASSERT_EQUAL(good.chainPem, bundle->chainPem);
        CPPUNIT_ASSERT_EQUAL(good.keyPem, std::string(bundle->keyPem.view()));
        ASSERT_HAS(h.logText(), "privkey.pem is not the key of");
        ASSERT_HAS(h.logText(), "using the backup pair");
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), h.lastStatus()->state);
    }

    void dueCertificateStaysInServiceWhileRetrying() {
        const uint16_t closed = freeLoopbackPort();  // nobody listens: the CA is down
        Harness h;
        baseSettings(h, closed);
        const auto pair = selfSigned("rport.example.com", -80 * 86400, 10 * 86400);
        store(h, closed, "rport.example.com", pair);
        const int64_t before = time(nullptr);
        h.create();
        CPPUNIT_ASSERT(h.current());  // served at once although due
        ASSERT_HAS(h.logText(), "it is due for renewal");
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        CPPUNIT_ASSERT(h.sawState("renewing"));
        const auto status = *h.lastStatus();
        ASSERT_HAS(status.lastError, "cannot reach the CA");
        ASSERT_HAS(status.detail, "stays in service");
        CPPUNIT_ASSERT(status.nextAttempt >= before + 59);
        CPPUNIT_ASSERT_EQUAL(pair.chainPem, h.current()->chainPem);
        ASSERT_HAS(h.logText(), "to replace serial 0A1B2C3D4E5F");
        ASSERT_HAS(
            h.logText(),
            "ERROR could not obtain a certificate for rport.example.com: cannot reach the CA");
        ASSERT_HAS(h.logText(), "the current certificate (valid until");
        // renew_now with the CA still down: a new attempt at once, not after retry_min.
        h.provider->renewNow();
        CPPUNIT_ASSERT_MESSAGE(
            h.logText(),
            h.driveUntil([&] { return h.countLogs(RPORT_LOG_ERROR, "") >= 2; }, 10000));
        CPPUNIT_ASSERT_EQUAL(size_t(2), h.countLogs(RPORT_LOG_INFO, "ordering a certificate"));
        // And the backoff doubles.
        ASSERT_HAS(h.logText(), "(in 2m)");
    }

    void renewNowOnlyChecks() {
        const uint16_t closed = freeLoopbackPort();
        Harness h;
        baseSettings(h, closed);
        store(h, closed, "rport.example.com", selfSigned("rport.example.com", -86400, 89 * 86400));
        h.create();
        h.driveFor(200);
        CPPUNIT_ASSERT(h.provider->renewNow().ok());
        h.driveFor(300);
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            h.countLogs(RPORT_LOG_INFO, "checking the certificate for rport.example.com again"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs("ordering a certificate"));
        CPPUNIT_ASSERT_EQUAL(0, h.host.certChangedCount());
        // A newer certificate stored meanwhile (by certbot-like hands or
        // another rportd) is picked up by renew_now.
        const auto newer = selfSigned("rport.example.com", -3600, 90 * 86400, false, "", "0B0B0B");
        store(h, closed, "rport.example.com", newer);
        CPPUNIT_ASSERT(h.provider->renewNow().ok());
        CPPUNIT_ASSERT(h.driveUntil([&] { return h.host.certChangedCount() == 1; }, 5000));
        CPPUNIT_ASSERT_EQUAL(newer.chainPem, h.current()->chainPem);
    }

    void otherKeyTypeIsServedAndReplaced() {
        const uint16_t closed = freeLoopbackPort();
        Harness h;
        baseSettings(h, closed);  // key_type: ecdsa by default
        const auto rsa = selfSigned("rport.example.com", -86400, 89 * 86400, true);
        store(h, closed, "rport.example.com", rsa);
        h.create();
        CPPUNIT_ASSERT_EQUAL(rsa.keyPem, std::string(h.current()->keyPem.view()));
        ASSERT_HAS(h.logText(), "has another key type than key_type = \"ecdsa\"; replacing it");
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        CPPUNIT_ASSERT(h.sawState("renewing"));
        CPPUNIT_ASSERT_EQUAL(rsa.keyPem, std::string(h.current()->keyPem.view()));
    }

    void destroyEndsARequestInFlight() {
        SilentServer ca;
        Harness h;
        baseSettings(h, ca.port());
        h.create();
        CPPUNIT_ASSERT(h.driveUntil([&] { return ca.accepted() >= 1; }, 5000));
        std::this_thread::sleep_for(
            std::chrono::milliseconds(200));  // the worker now waits for an answer
        const double took = secondsOf([&] { h.destroy(); });
        CPPUNIT_ASSERT_MESSAGE("destroy took " + std::to_string(took) + " s", took < 2.0);
        // Stopping is not a failure worth an error line.
        CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs(RPORT_LOG_ERROR, ""));
    }

    void renewalInformationPlansTheRenewal() {
        const int64_t now = time(nullptr);
        std::string base;
        FakeAcmeServer ca([&](const FakeRequest& r) -> FakeReply {
            if (r.path == "/dir") return {200, directory(base)};
            if (r.path == "/ari/" + std::string(kRfcAriId))
                return {200,
                        renewalInfo(now + 10 * 86400, now + 11 * 86400),
                        "application/json",
                        {{"Retry-After", "21600"}}};
            return {404, "{}"};
        });
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        store(h, ca.port(), "rport.example.com", rfcExampleCertificate());
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil(
                                                [&] {
                                                    const auto last = h.lastStatus();
                                                    return last &&
                                                           last->nextAttempt >= now + 10 * 86400 &&
                                                           last->nextAttempt < now + 40 * 86400;
                                                },
                                                10000));
        ASSERT_HAS(h.logText(), "(a random moment in the CA's renewal window");
        const auto status = *h.lastStatus();
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), status.state);
        CPPUNIT_ASSERT(status.nextAttempt >= now + 10 * 86400 &&
                       status.nextAttempt < now + 11 * 86400 + 2);
        // An unauthenticated GET of renewalInfo/<AKI>.<serial>; no order.
        bool asked = false;
        for (const auto& r : ca.requests()) {
            CPPUNIT_ASSERT(r.method == "GET");
            asked = asked || r.path == "/ari/" + std::string(kRfcAriId);
        }
        CPPUNIT_ASSERT(asked);
        h.driveFor(200);
        CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs("ordering a certificate"));
    }

    void pastWindowRenewsWithReplacesAndHonoursRateLimits() {
        const int64_t now = time(nullptr);
        std::string base;
        std::vector<std::string> orders;
        FakeAcmeServer ca([&](const FakeRequest& r) -> FakeReply {
            if (r.path == "/dir") return {200, directory(base)};
            if (r.path == "/ari/" + std::string(kRfcAriId))
                return {200, renewalInfo(now - 2 * 86400, now - 86400)};
            if (r.path == "/nonce") return {200, ""};
            if (r.path == "/new-acct")
                return {201,
                        R"({"status":"valid"})",
                        "application/json",
                        {{"Location", base + "/acct/1"}}};
            if (r.path == "/new-order") {
                orders.push_back(r.payload());
                if (orders.size() == 1)
                    return {
                        409,
                        R"({"type":"urn:ietf:params:acme:error:alreadyReplaced","detail":"already replaced"})",
                        "application/problem+json"};
                return {
                    429,
                    R"({"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many new orders recently"})",
                    "application/problem+json",
                    {{"Retry-After", "3600"}}};
            }
            return {404, "{}"};
        });
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        const auto pair = rfcExampleCertificate();
        store(h, ca.port(), "rport.example.com", pair);
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        CPPUNIT_ASSERT(h.sawState("renewing"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), orders.size());
        ASSERT_HAS(orders[0], std::string("\"replaces\":\"") + kRfcAriId + "\"");
        CPPUNIT_ASSERT_MESSAGE(orders[1], orders[1].find("replaces") == std::string::npos);
        ASSERT_HAS(orders[1], R"("identifiers":[{"type":"dns","value":"rport.example.com"}])");
        ASSERT_HAS(h.logText(), "DEBUG the CA refused \"replaces\"");
        const auto status = *h.lastStatus();
        ASSERT_HAS(status.lastError,
                   "placing the order: the CA refused because a rate limit was reached");
        ASSERT_HAS(status.lastError, "wait 1h");
        // The CA's Retry-After (1h) wins over retry_min (1m).
        CPPUNIT_ASSERT(status.nextAttempt >= now + 3590);
        CPPUNIT_ASSERT_EQUAL(pair.chainPem, h.current()->chainPem);
        // renew_now does not override the CA's rate limit.
        h.provider->renewNow();
        h.driveFor(300);
        CPPUNIT_ASSERT_EQUAL(size_t(2), orders.size());
    }

    // A Retry-After of 9999999999 s would let the certificate expire: it is
    // bounded to one day before notAfter, said with a warning, and renew_now
    // may override the bounded wait.
    void hugeRetryAfterIsBoundedByTheCertificate() {
        std::string base;
        std::atomic<int> orders{0};
        FakeAcmeServer ca([&](const FakeRequest& r) -> FakeReply {
            if (r.path == "/dir") return {200, directory(base)};
            if (r.path == "/nonce") return {200, ""};
            if (r.path == "/new-acct")
                return {201,
                        R"({"status":"valid"})",
                        "application/json",
                        {{"Location", base + "/acct/1"}}};
            if (r.path == "/new-order") {
                ++orders;
                return {
                    429,
                    R"({"type":"urn:ietf:params:acme:error:rateLimited","detail":"come back much later"})",
                    "application/problem+json",
                    {{"Retry-After", "9999999999"}}};
            }
            return {404, "{}"};
        });
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        const auto pair = selfSigned("rport.example.com", -85 * 86400, 3 * 86400);  // due
        store(h, ca.port(), "rport.example.com", pair);
        const int64_t now = time(nullptr);
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        const auto status = *h.lastStatus();
        CPPUNIT_ASSERT_MESSAGE(std::to_string(status.nextAttempt - now),
                               status.nextAttempt <= status.notAfter - 86400 + 2);
        CPPUNIT_ASSERT(status.nextAttempt >= now + 86400);
        ASSERT_HAS(h.logText(),
                   "WARN the CA asked rportd to wait 9999999999 s before trying again");
        CPPUNIT_ASSERT_EQUAL(1, orders.load());
        // The wait is rportd's now, not the CA's: SIGHUP tries again.
        h.provider->renewNow();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil([&] { return orders >= 2; }, 10000));
    }

    // A renewal window in year 9999 (or past notAfter) is not used: two thirds.
    void renewalWindowPastExpiryIsNotUsed() {
        std::string base;
        std::atomic<int> asked{0};
        FakeAcmeServer ca([&](const FakeRequest& r) -> FakeReply {
            if (r.path == "/dir") return {200, directory(base)};
            if (r.path == "/ari/" + std::string(kRfcAriId)) {
                ++asked;
                return {
                    200,
                    R"({"suggestedWindow":{"start":"9999-12-30T00:00:00Z","end":"9999-12-31T00:00:00Z"}})"};
            }
            return {404, "{}"};
        });
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        store(h, ca.port(), "rport.example.com", rfcExampleCertificate());
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil([&] { return asked >= 1; }, 10000));
        h.driveFor(300);
        ASSERT_HAS(h.logText(), "WARN the CA's renewal window for rport.example.com");
        const auto status = *h.lastStatus();
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), status.state);
        const auto bundle = h.current();
        CPPUNIT_ASSERT(std::abs(status.nextAttempt - (bundle->notBefore + 60 * 86400)) <= 2);
        ASSERT_HAS(status.detail, "two thirds");
        CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs("ordering a certificate"));
    }

    void oversizedAnswerIsRefused() {
        FakeAcmeServer ca([&](const FakeRequest&) -> FakeReply {
            return {200, std::string(2 << 20, ' ')};
        });
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        ASSERT_HAS(h.lastStatus()->lastError, "the answer is larger than 1024 KB");
    }

    void untrustedServerSaysWhatToDo() {
        FakeAcmeServer ca([&](const FakeRequest&) -> FakeReply { return {200, "{}"}; });
        Harness h;
        baseSettings(h, ca.port());  // no ca_bundle: the system's CAs do not know this server
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        ASSERT_HAS(h.lastStatus()->lastError, "TLS");
        ASSERT_HAS(h.lastStatus()->lastError,
                   "set ca_bundle to the PEM file of the CA that issued it");
        CPPUNIT_ASSERT(ca.requests().empty());
    }

    // A CA whose only authorization offers these challenges.
    static FakeAcmeServer::Handler orderCa(std::string& base, const std::string& challenges) {
        return [&base, challenges](const FakeRequest& r) -> FakeReply {
            if (r.path == "/dir") return {200, directory(base)};
            if (r.path == "/nonce") return {200, ""};
            if (r.path == "/new-acct")
                return {201,
                        R"({"status":"valid"})",
                        "application/json",
                        {{"Location", base + "/acct/1"}}};
            if (r.path == "/new-order")
                return {201,
                        R"({"status":"pending","authorizations":[")" + base +
                            R"(/authz/1"],"finalize":")" + base + R"(/finalize/1"})",
                        "application/json",
                        {{"Location", base + "/order/1"}}};
            if (r.path == "/authz/1")
                return {
                    200,
                    R"({"status":"pending","identifier":{"type":"dns","value":"rport.example.com"},"challenges":)" +
                        challenges + "}"};
            return {404, "{}"};
        };
    }

    void noChallengeWeMayAnswer() {
        std::string base;
        FakeAcmeServer ca(orderCa(
            base,
            R"([{"type":"dns-01","url":"x","token":"abc"},{"type":"tls-alpn-01","url":"y","token":"abc"}])"));
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        h.host.settings["challenges"] = "http-01";
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("failed"); }, 10000));
        const std::string error = h.lastStatus()->lastError;
        ASSERT_HAS(error, "the CA offers the challenges dns-01, tls-alpn-01 for rport.example.com");
        ASSERT_HAS(error, "rportd may answer only http-01");
        ASSERT_HAS(error, "setting 'challenges' is \"http-01\"");
        CPPUNIT_ASSERT(h.host.http01Tokens().empty());
        CPPUNIT_ASSERT(h.host.tlsAlpn01().empty());
    }

    void hostileTokenIsNotPublished() {
        std::string base;
        FakeAcmeServer ca(orderCa(
            base, R"([{"type":"http-01","url":"https://x/c","token":"../../etc/passwd"}])"));
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        h.create();
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        ASSERT_HAS(h.lastStatus()->lastError,
                   "challenge token that is not base64url (\"../../etc/passwd\")");
        CPPUNIT_ASSERT(h.host.http01Tokens().empty());
        for (const auto& r : ca.requests()) CPPUNIT_ASSERT(r.path != "/c");
    }

    void refusedChallengeTypeFallsBack() {
        std::string base;
        std::vector<std::string> answered;
        FakeAcmeServer ca([&](const FakeRequest& r) -> FakeReply {
            if (r.path == "/authz/1")
                return {
                    200,
                    R"({"status":"pending","identifier":{"type":"dns","value":"rport.example.com"},)"
                    R"("challenges":[{"type":"tls-alpn-01","url":")" +
                        base +
                        R"(/chall/alpn","token":"tokA"},)"
                        R"({"type":"http-01","url":")" +
                        base + R"(/chall/http","token":"tokH"}]})"};
            if (r.path.rfind("/chall/", 0) == 0) {
                answered.push_back(r.path);
                return {200, R"({"status":"valid"})"};
            }
            if (r.path == "/finalize/1")
                return {
                    403,
                    R"({"type":"urn:ietf:params:acme:error:unauthorized","detail":"enough for this test"})",
                    "application/problem+json"};
            return orderCa(base, "[]")(r);
        });
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        h.host.settings["challenges"] = "tls-alpn-01,http-01";
        h.host.stateDir = h.stateDir();
        ::mkdir(h.host.stateDir.c_str(), 0700);
        // The fake host's table, except that TLS-ALPN-01 is refused as a host
        // without a TLS listener for it would refuse it.
        static rport_host_v1 table;
        table = *h.host.api();
        table.tls_alpn01_publish = [](rport_host_ctx*, rport_str, rport_str, rport_str) -> int32_t {
            return RPORT_E_UNSUPPORTED;
        };
        void* image = ::dlopen(pluginPath().c_str(), RTLD_NOW | RTLD_LOCAL);
        auto entry = reinterpret_cast<rport_plugin_entry_v1_fn>(::dlsym(image, RPORT_ENTRY_SYMBOL));
        const rport_plugin_v1* descriptor = nullptr;
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_OK), entry(&table, &descriptor));
        const rport_backend_v1* backend =
            rport::sdk::findBackend(descriptor, RPORT_KIND_CERT_PROVIDER, "acme");
        rport::sdk::CallResult why;
        h.provider = rport::sdk::CertClient::create(
            static_cast<const rport_cert_v1*>(backend->vtable), h.host.ctx(), why);
        CPPUNIT_ASSERT_MESSAGE(why.message, h.provider != nullptr);
        CPPUNIT_ASSERT_MESSAGE(h.logText(),
                               h.driveUntil([&] { return h.sawState("retrying"); }, 10000));
        h.destroy();
        ::dlclose(image);
        ASSERT_HAS(h.logText(), "WARN rportd cannot answer tls-alpn-01");
        ASSERT_HAS(h.logText(), "answering the http-01 challenge for rport.example.com");
        CPPUNIT_ASSERT(answered == std::vector<std::string>{"/chall/http"});
        CPPUNIT_ASSERT(h.host.http01Tokens().empty());  // withdrawn again
    }

    // rportd closes the instance before destroy: its services answer
    // RPORT_E_UNAVAILABLE. The worker stops quietly, no error or warning.
    void closingHostIsNotAnError() {
        std::string base;
        FakeAcmeServer ca([&](const FakeRequest& r) -> FakeReply {
            if (r.path == "/authz/1")
                return {
                    200,
                    R"({"status":"pending","identifier":{"type":"dns","value":"rport.example.com"},)"
                    R"("challenges":[{"type":"http-01","url":")" +
                        base + R"(/chall/http","token":"tokH"}]})"};
            return orderCa(base, "[]")(r);
        });
        base = ca.url("");
        Harness h;
        baseSettings(h, ca.port());
        h.host.settings["ca_bundle"] = ca.caPath();
        h.host.settings["challenges"] = "http-01";
        h.host.stateDir = h.stateDir();
        ::mkdir(h.host.stateDir.c_str(), 0700);
        static rport_host_v1 table;
        table = *h.host.api();
        table.http01_publish = [](rport_host_ctx*, rport_str, rport_str) -> int32_t {
            return RPORT_E_UNAVAILABLE;
        };
        table.timer_start = [](rport_host_ctx*, uint32_t, uint32_t, rport_timer_fn, void*,
                               uint64_t*) -> int32_t { return RPORT_E_UNAVAILABLE; };
        table.timer_start64 = [](rport_host_ctx*, uint64_t, uint64_t, rport_timer_fn, void*,
                                 uint64_t*) -> int32_t { return RPORT_E_UNAVAILABLE; };
        void* image = ::dlopen(pluginPath().c_str(), RTLD_NOW | RTLD_LOCAL);
        auto entry = reinterpret_cast<rport_plugin_entry_v1_fn>(::dlsym(image, RPORT_ENTRY_SYMBOL));
        const rport_plugin_v1* descriptor = nullptr;
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_OK), entry(&table, &descriptor));
        const rport_backend_v1* backend =
            rport::sdk::findBackend(descriptor, RPORT_KIND_CERT_PROVIDER, "acme");
        rport::sdk::CallResult why;
        h.provider = rport::sdk::CertClient::create(
            static_cast<const rport_cert_v1*>(backend->vtable), h.host.ctx(), why);
        CPPUNIT_ASSERT_MESSAGE(why.message, h.provider != nullptr);
        CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil(
                                                [&] {
                                                    for (const auto& r : ca.requests())
                                                        if (r.path == "/authz/1") return true;
                                                    return false;
                                                },
                                                10000));
        h.driveFor(500);
        h.provider->renewNow();  // SIGHUP during the close: still nothing to say
        h.driveFor(200);
        h.destroy();
        ::dlclose(image);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h.logText(), size_t(0), h.countLogs(RPORT_LOG_ERROR, ""));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h.logText(), size_t(0), h.countLogs(RPORT_LOG_WARNING, ""));
        ASSERT_HAS(h.logText(), "DEBUG the order for rport.example.com ends: rportd is closing");
    }

    // The CA hands back an order that is already valid (or processing): its
    // certificate is for a key rportd never made. Said plainly; the next
    // attempt places a new order.
    void alreadyFinalizedOrderIsAClearFailure() {
        for (const std::string status : {"valid", "processing"}) {
            std::string base;
            std::atomic<int> orders{0}, downloads{0};
            FakeAcmeServer ca([&](const FakeRequest& r) -> FakeReply {
                if (r.path == "/new-order") {
                    ++orders;
                    return {201,
                            R"({"status":")" + status + R"(","authorizations":[")" + base +
                                R"(/authz/1"],"finalize":")" + base +
                                R"(/finalize/1","certificate":")" + base + R"(/cert/1"})",
                            "application/json",
                            {{"Location", base + "/order/1"}}};
                }
                if (r.path == "/order/1")
                    return {200, R"({"status":"valid","certificate":")" + base + R"(/cert/1"})"};
                if (r.path == "/cert/1") {
                    ++downloads;
                    return {200, selfSigned("rport.example.com", -60, 86400).chainPem,
                            "application/pem-certificate-chain"};
                }
                return orderCa(base, "[]")(r);
            });
            base = ca.url("");
            Harness h;
            baseSettings(h, ca.port());
            h.host.settings["ca_bundle"] = ca.caPath();
            h.host.settings["retry_min"] = "1s";
            h.create();
            CPPUNIT_ASSERT_MESSAGE(h.logText(), h.driveUntil([&] { return orders >= 2; }, 10000));
            h.destroy();
            ASSERT_HAS(h.logText(), "the CA returned an order that was already finalized (" + base +
                                        "/order/1 is " + status + "); a new order will be made");
            CPPUNIT_ASSERT_EQUAL(0, downloads.load());
            CPPUNIT_ASSERT_EQUAL(size_t(0), h.countLogs("is not for the key rportd made"));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmeProviderTest);
