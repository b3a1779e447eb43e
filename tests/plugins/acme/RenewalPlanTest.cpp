// When to renew: two thirds of the lifetime, a random moment in the CA's ARI
// window (kept while the window stays), capped backoff; and what a
// certificate says about itself (validity, names, ARI id per RFC 9773 §4.1).
#include <cppunit/extensions/HelperMacros.h>

#include <ctime>

#include "AcmeTestKit.h"
#include "CertificateInfo.h"
#include "RenewalPlan.h"

using namespace rport::plugins::acme;

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += char(v);
    return out;
}

}  // namespace

class RenewalPlanTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RenewalPlanTest);
    CPPUNIT_TEST(twoThirdsOfTheLifetime);
    CPPUNIT_TEST(windowPicksInside);
    CPPUNIT_TEST(windowChoiceIsKeptUntilItChanges);
    CPPUNIT_TEST(newCertificateForgetsTheWindow);
    CPPUNIT_TEST(renewalInfoBodies);
    CPPUNIT_TEST(cappedBackoff);
    CPPUNIT_TEST(caWaitIsBounded);
    CPPUNIT_TEST(windowTooLateFallsBackToTwoThirds);
    CPPUNIT_TEST(ariIdOfTheRfc9773Example);
    CPPUNIT_TEST(ariIdOfASmallSerialAndWithoutAki);
    CPPUNIT_TEST(certificateFacts);
    CPPUNIT_TEST(issuedCertificateMustBeValidNow);
    CPPUNIT_TEST_SUITE_END();

public:
    void twoThirdsOfTheLifetime() {
        const int64_t day = 86400;
        CPPUNIT_ASSERT_EQUAL(60 * day, twoThirdsPoint(0, 90 * day));
        CPPUNIT_ASSERT_EQUAL(int64_t(1000 + 4), twoThirdsPoint(1000, 1006));
        RenewalPlan plan;
        CPPUNIT_ASSERT(!plan.hasCertificate());
        CPPUNIT_ASSERT_EQUAL(int64_t(0), plan.renewAt());
        plan.setCertificate(1000, 1000 + 90 * day);
        CPPUNIT_ASSERT_EQUAL(1000 + 60 * day, plan.renewAt());
        CPPUNIT_ASSERT_EQUAL(std::string("two thirds of the certificate's lifetime"), plan.basis());
    }

    void windowPicksInside() {
        const RenewalWindow w{1000, 2000};
        CPPUNIT_ASSERT_EQUAL(int64_t(1000), pickInWindow(w, 0));
        CPPUNIT_ASSERT_EQUAL(int64_t(1999), pickInWindow(w, 999));
        CPPUNIT_ASSERT_EQUAL(int64_t(1000), pickInWindow(w, 1000));
        for (uint64_t r = 0; r < 100000; r += 7919) {
            const int64_t t = pickInWindow(w, r * 0x9E3779B97F4A7C15ull);
            CPPUNIT_ASSERT(t >= 1000 && t < 2000);
        }
    }

    void windowChoiceIsKeptUntilItChanges() {
        RenewalPlan plan;
        plan.setCertificate(0, 90 * 86400);
        plan.setWindow({5000000, 5100000}, 12345);
        const int64_t chosen = plan.renewAt();
        CPPUNIT_ASSERT(chosen >= 5000000 && chosen < 5100000);
        CPPUNIT_ASSERT(plan.basis().find("CA's renewal window") != std::string::npos);
        plan.setWindow({5000000, 5100000}, 99999);  // same window again (a later poll)
        CPPUNIT_ASSERT_EQUAL(chosen, plan.renewAt());
        plan.setWindow({100, 200}, 99999);  // moved (e.g. the CA plans a revocation)
        CPPUNIT_ASSERT(plan.renewAt() >= 100 && plan.renewAt() < 200);
    }

    void newCertificateForgetsTheWindow() {
        RenewalPlan plan;
        plan.setCertificate(0, 900);
        plan.setWindow({10, 20}, 1);
        plan.setCertificate(1000, 1900);
        CPPUNIT_ASSERT(!plan.window());
        CPPUNIT_ASSERT_EQUAL(int64_t(1600), plan.renewAt());
    }

    void renewalInfoBodies() {
        const auto w = parseRenewalInfo(
            R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"https://ca.test/ari"})");
        CPPUNIT_ASSERT(w);
        CPPUNIT_ASSERT_EQUAL(int64_t(1735790400), w->start);
        CPPUNIT_ASSERT_EQUAL(int64_t(1735790400 + 86400), w->end);
        CPPUNIT_ASSERT(!parseRenewalInfo(
            R"({"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00Z"}})"));
        CPPUNIT_ASSERT(
            !parseRenewalInfo(R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z"}})"));
        CPPUNIT_ASSERT(!parseRenewalInfo(R"({})"));
        CPPUNIT_ASSERT(!parseRenewalInfo("not json"));
    }

    // A Retry-After of 9999999999 s may not outlast the certificate.
    void caWaitIsBounded() {
        const int64_t day = 86400, dayMs = day * 1000, minute = 60000;
        const int64_t now = 1000 * dayMs;
        // Short waits are the CA's word.
        CPPUNIT_ASSERT_EQUAL(3600000LL, (long long)boundedCaWaitMs(3600000, now, 0, minute));
        // Without a certificate: at most 7 days.
        CPPUNIT_ASSERT_EQUAL(7 * dayMs, boundedCaWaitMs(9999999999LL * 1000, now, 0, minute));
        // With one valid 10 more days: 7 days still.
        CPPUNIT_ASSERT_EQUAL(7 * dayMs,
                             boundedCaWaitMs(9999999999LL * 1000, now, 1010 * day, minute));
        // Valid 3 more days: until one day before notAfter.
        CPPUNIT_ASSERT_EQUAL(2 * dayMs,
                             boundedCaWaitMs(9999999999LL * 1000, now, 1003 * day, minute));
        // Less than a day left: retry_min at least.
        CPPUNIT_ASSERT_EQUAL(minute,
                             boundedCaWaitMs(9999999999LL * 1000, now, 1000 * day + 60, minute));
    }

    void windowTooLateFallsBackToTwoThirds() {
        const int64_t day = 86400;
        RenewalPlan plan;
        plan.setCertificate(0, 90 * day);
        // Year 9999.
        CPPUNIT_ASSERT(!plan.setWindow({253402214400, 253402300799}, 1));
        CPPUNIT_ASSERT(!plan.window());
        CPPUNIT_ASSERT_EQUAL(60 * day, plan.renewAt());
        // Ends after notAfter.
        CPPUNIT_ASSERT(!plan.setWindow({60 * day, 91 * day}, 0));
        CPPUNIT_ASSERT_EQUAL(60 * day, plan.renewAt());
        // Inside the validity, but the moment falls in the last tenth.
        CPPUNIT_ASSERT(!plan.setWindow({82 * day, 89 * day}, 0));
        CPPUNIT_ASSERT_EQUAL(60 * day, plan.renewAt());
        // A usable window replaces it; a later bad one falls back again.
        CPPUNIT_ASSERT(plan.setWindow({50 * day, 51 * day}, 0));
        CPPUNIT_ASSERT_EQUAL(50 * day, plan.renewAt());
        CPPUNIT_ASSERT(!plan.setWindow({253402214400, 253402300799}, 0));
        CPPUNIT_ASSERT_EQUAL(60 * day, plan.renewAt());
    }

    void cappedBackoff() {
        const int64_t minute = 60000, sixHours = 6 * 3600000;
        CPPUNIT_ASSERT_EQUAL(int64_t(0), backoffMs(0, minute, sixHours));
        CPPUNIT_ASSERT_EQUAL(minute, backoffMs(1, minute, sixHours));
        CPPUNIT_ASSERT_EQUAL(2 * minute, backoffMs(2, minute, sixHours));
        CPPUNIT_ASSERT_EQUAL(256 * minute, backoffMs(9, minute, sixHours));
        CPPUNIT_ASSERT_EQUAL(sixHours, backoffMs(10, minute, sixHours));
        CPPUNIT_ASSERT_EQUAL(sixHours, backoffMs(1000, minute, sixHours));
    }

    void ariIdOfTheRfc9773Example() {
        // RFC 9773 §4.1: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4
        // and serial 0x87654321 (DER content 00 87 65 43 21) give this id.
        const std::string aki = bytes({0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3,
                                       0x7B, 0x84, 0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4});
        const auto pair =
            rport::test::acme::selfSigned("ari.example.com", 0, 86400, false, aki, "87654321");
        const CertificateInfo info = inspectChain(pair.chainPem);
        CPPUNIT_ASSERT_EQUAL(bytes({0x00, 0x87, 0x65, 0x43, 0x21}), info.serialBytes);
        CPPUNIT_ASSERT_EQUAL(std::string("87654321"), info.serialHex);
        CPPUNIT_ASSERT_EQUAL(std::string("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"),
                             ariCertificateId(info));
    }

    void ariIdOfASmallSerialAndWithoutAki() {
        const auto small =
            rport::test::acme::selfSigned("a.example.com", 0, 86400, false, "\x01\x02", "12345678");
        CPPUNIT_ASSERT_EQUAL(std::string("AQI.EjRWeA"),
                             ariCertificateId(inspectChain(small.chainPem)));
        const auto none = rport::test::acme::selfSigned("a.example.com", 0, 86400);
        CPPUNIT_ASSERT_EQUAL(std::string(""), ariCertificateId(inspectChain(none.chainPem)));
    }

    void certificateFacts() {
        const int64_t now = time(nullptr);
        const auto pair = rport::test::acme::selfSigned("Facts.Example.com", -3600, 7 * 86400);
        const CertificateInfo info = inspectChain(pair.chainPem + pair.chainPem);
        CPPUNIT_ASSERT(std::abs(info.notBefore - (now - 3600)) <= 2);
        CPPUNIT_ASSERT(std::abs(info.notAfter - (now + 7 * 86400)) <= 2);
        CPPUNIT_ASSERT_EQUAL(size_t(2), info.chainLength);
        CPPUNIT_ASSERT(info.coversName("facts.example.com"));
        CPPUNIT_ASSERT(!info.coversName("other.example.com"));
        CPPUNIT_ASSERT(!info.expiredAt(now));
        CPPUNIT_ASSERT(info.expiredAt(now + 8 * 86400));
        CPPUNIT_ASSERT(keyMatchesLeaf(pair.chainPem, pair.keyPem));
        const auto other = rport::test::acme::selfSigned("facts.example.com", 0, 86400);
        CPPUNIT_ASSERT(!keyMatchesLeaf(pair.chainPem, other.keyPem));
        CPPUNIT_ASSERT(!keyMatchesLeaf(pair.chainPem, "garbage"));
        CPPUNIT_ASSERT_THROW(inspectChain("no certificate here"), CertificateError);
    }

    void issuedCertificateMustBeValidNow() {
        CertificateInfo info;
        info.notBefore = 1000;
        info.notAfter = 2000;
        CPPUNIT_ASSERT_EQUAL(std::string(""), issuedValidityProblem(info, 1500));
        CPPUNIT_ASSERT_EQUAL(std::string(""), issuedValidityProblem(info, 1000 - 300));
        CPPUNIT_ASSERT(issuedValidityProblem(info, 2000).find("has expired already") !=
                       std::string::npos);
        CPPUNIT_ASSERT(issuedValidityProblem(info, 5000).find("has expired already") !=
                       std::string::npos);
        CPPUNIT_ASSERT(issuedValidityProblem(info, 1000 - 301).find("is not valid before") !=
                       std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RenewalPlanTest);
