// Time texts in the forms the original writes, and reading them back.
#include <cppunit/extensions/HelperMacros.h>

#include "util/TimeText.h"

using namespace rportd::util;

class TimeTextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TimeTextTest);
    CPPUNIT_TEST(writesGoForms);
    CPPUNIT_TEST(readsWhatSqliteAndGoWrite);
    CPPUNIT_TEST_SUITE_END();

    static constexpr int64_t kAt = 1796168392LL * 1000000000LL;  // 2026-12-01 23:39:52 UTC

public:
    void writesGoForms() {
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01T23:39:52.023044122Z"),
                             rfc3339NanoUtc(kAt + 23044122));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01T23:39:52.5Z"),
                             rfc3339NanoUtc(kAt + 500000000));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01T23:39:52Z"), rfc3339NanoUtc(kAt));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 23:39:52.023044122+00:00"),
                             sqliteTimeUtc(kAt + 23044122));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 23:39:52+00:00"), sqliteTimeUtc(kAt));
        CPPUNIT_ASSERT_EQUAL(std::string("1969-12-31T23:59:59.5Z"), rfc3339NanoUtc(-500000000));
    }

    void readsWhatSqliteAndGoWrite() {
        CPPUNIT_ASSERT_EQUAL(kAt + 23044122, *parseTimeText("2026-12-01 23:39:52.023044122+00:00"));
        CPPUNIT_ASSERT_EQUAL(kAt + 23044122, *parseTimeText("2026-12-01T23:39:52.023044122Z"));
        CPPUNIT_ASSERT_EQUAL(kAt, *parseTimeText("2026-12-01 23:39:52"));
        CPPUNIT_ASSERT_EQUAL(kAt + 123000000, *parseTimeText("2026-12-01 23:39:52.123"));
        CPPUNIT_ASSERT_EQUAL(kAt, *parseTimeText("2026-12-02T01:39:52+02:00"));
        CPPUNIT_ASSERT_EQUAL(kAt + 123456789, *parseTimeText("2026-12-01 23:39:52.1234567891"));
        for (const char* bad : {"", "2026-12-01", "2026-13-01 00:00:00", "2026-12-01 23:39:52.",
                                "2026-12-01 23:39:52 UTC", "2026-12-01 23:39:52+0200", "yesterday"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parseTimeText(bad));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TimeTextTest);
