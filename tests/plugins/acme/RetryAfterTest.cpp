// Time and text helpers: Retry-After in both forms, HTTP dates in all three
// forms, RFC 3339, Go durations, the nonce cache, printable log text.
#include <cppunit/extensions/HelperMacros.h>

#include "Duration.h"
#include "LogText.h"
#include "NonceCache.h"
#include "RetryAfter.h"
#include "TimeText.h"

using namespace rport::plugins::acme;

namespace {
// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
const int64_t kExampleDate = 784111777;
}  // namespace

class RetryAfterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RetryAfterTest);
    CPPUNIT_TEST(deltaSeconds);
    CPPUNIT_TEST(httpDates);
    CPPUNIT_TEST(notUnderstood);
    CPPUNIT_TEST(rfc3339);
    CPPUNIT_TEST(goDurations);
    CPPUNIT_TEST(durationText);
    CPPUNIT_TEST(nonceCache);
    CPPUNIT_TEST(printableText);
    CPPUNIT_TEST_SUITE_END();

public:
    void deltaSeconds() {
        CPPUNIT_ASSERT_EQUAL(int64_t(120), *parseRetryAfter("120", kExampleDate));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), *parseRetryAfter("0", kExampleDate));
        CPPUNIT_ASSERT_EQUAL(int64_t(5), *parseRetryAfter(" 5 ", kExampleDate));
        CPPUNIT_ASSERT(*parseRetryAfter("99999999999999999999", kExampleDate) > int64_t(1) << 32);
    }

    void httpDates() {
        CPPUNIT_ASSERT_EQUAL(kExampleDate, *parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"));
        CPPUNIT_ASSERT_EQUAL(kExampleDate, *parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"));
        CPPUNIT_ASSERT_EQUAL(kExampleDate, *parseHttpDate("Sun Nov  6 08:49:37 1994"));
        CPPUNIT_ASSERT_EQUAL(int64_t(30),
                             *parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kExampleDate - 30));
        // A date in the past means "now".
        CPPUNIT_ASSERT_EQUAL(int64_t(0),
                             *parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kExampleDate + 30));
    }

    void notUnderstood() {
        CPPUNIT_ASSERT(!parseRetryAfter("", kExampleDate));
        CPPUNIT_ASSERT(!parseRetryAfter("-5", kExampleDate));
        CPPUNIT_ASSERT(!parseRetryAfter("1.5", kExampleDate));
        CPPUNIT_ASSERT(!parseRetryAfter("soon", kExampleDate));
        CPPUNIT_ASSERT(!parseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT"));
        CPPUNIT_ASSERT(!parseHttpDate("Sun, 06 Nov 1994 08:49:37 CET"));
        CPPUNIT_ASSERT(!parseHttpDate("Sun, 06 Nov 1994 25:49:37 GMT"));
    }

    void rfc3339() {
        CPPUNIT_ASSERT_EQUAL(int64_t(1735790400), *parseRfc3339("2025-01-02T04:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(int64_t(1735790400), *parseRfc3339("2025-01-02T04:00:00.123456Z"));
        CPPUNIT_ASSERT_EQUAL(int64_t(1735790400), *parseRfc3339("2025-01-02T06:00:00+02:00"));
        CPPUNIT_ASSERT_EQUAL(int64_t(1735790400), *parseRfc3339("2025-01-01T23:00:00-05:00"));
        CPPUNIT_ASSERT(!parseRfc3339("2025-01-02 04:00:00Z"));
        CPPUNIT_ASSERT(!parseRfc3339("2025-01-02T04:00:00"));
        CPPUNIT_ASSERT(!parseRfc3339("2025-13-02T04:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::string("2025-01-02T04:00:00Z"), utcText(1735790400));
    }

    void goDurations() {
        CPPUNIT_ASSERT_EQUAL(int64_t(1000), *parseDuration("1s"));
        CPPUNIT_ASSERT_EQUAL(int64_t(600000), *parseDuration("10m"));
        CPPUNIT_ASSERT_EQUAL(int64_t(6 * 3600000), *parseDuration("6h"));
        CPPUNIT_ASSERT_EQUAL(int64_t(5400000), *parseDuration("1h30m"));
        CPPUNIT_ASSERT_EQUAL(int64_t(5400000), *parseDuration("1.5h"));
        CPPUNIT_ASSERT_EQUAL(int64_t(250), *parseDuration("250ms"));
        CPPUNIT_ASSERT_EQUAL(int64_t(1), *parseDuration("1500us"));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), *parseDuration("0"));
        CPPUNIT_ASSERT_EQUAL(int64_t(90500), *parseDuration("1m30s500ms"));
        CPPUNIT_ASSERT(!parseDuration(""));
        CPPUNIT_ASSERT(!parseDuration("5"));    // no unit
        CPPUNIT_ASSERT(!parseDuration("1d"));   // Go has no days
        CPPUNIT_ASSERT(!parseDuration("-1s"));  // negative
        CPPUNIT_ASSERT(!parseDuration("1 s"));
        CPPUNIT_ASSERT(!parseDuration("s"));
    }

    void durationText() {
        CPPUNIT_ASSERT_EQUAL(std::string("1m"), formatDuration(60000));
        CPPUNIT_ASSERT_EQUAL(std::string("1h30m"), formatDuration(5400000));
        CPPUNIT_ASSERT_EQUAL(std::string("6h"), formatDuration(21600000));
        CPPUNIT_ASSERT_EQUAL(std::string("250ms"), formatDuration(250));
        CPPUNIT_ASSERT_EQUAL(std::string("1h1m1s"), formatDuration(3661000));
    }

    void nonceCache() {
        NonceCache c;
        CPPUNIT_ASSERT(!c.take());
        c.put("first");
        c.put("second");
        c.put("not base64url!");  // ignored
        c.put("");
        CPPUNIT_ASSERT_EQUAL(size_t(2), c.size());
        CPPUNIT_ASSERT_EQUAL(std::string("second"), *c.take());  // newest first
        CPPUNIT_ASSERT_EQUAL(std::string("first"), *c.take());
        CPPUNIT_ASSERT(!c.take());
        for (int i = 0; i < 20; ++i) c.put("n" + std::to_string(i));
        CPPUNIT_ASSERT_EQUAL(NonceCache::kCapacity, c.size());
        CPPUNIT_ASSERT_EQUAL(std::string("n19"), *c.take());
    }

    void printableText() {
        CPPUNIT_ASSERT_EQUAL(std::string("a\\x0ab\\x1b[0m\\x7f"), printable("a\nb\x1b[0m\x7f"));
        CPPUNIT_ASSERT_EQUAL(std::string("h\xC3\xA9llo"), printable("h\xC3\xA9llo"));
        const std::string cut = printable(std::string(600, 'x'), 512);
        CPPUNIT_ASSERT_EQUAL(size_t(512 + 3), cut.size());
        // Never cut inside a UTF-8 sequence.
        const std::string accents = printable(std::string(10, 'x') + "\xC3\xA9\xC3\xA9", 11);
        CPPUNIT_ASSERT_EQUAL(std::string(10, 'x') + "\xE2\x80\xA6", accents);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RetryAfterTest);
