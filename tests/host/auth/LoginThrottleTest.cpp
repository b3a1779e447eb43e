#include <cppunit/extensions/HelperMacros.h>

#include "auth/LoginThrottle.h"

using rportd::auth::LoginThrottle;

class LoginThrottleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LoginThrottleTest);
    CPPUNIT_TEST(aFailedIdWaits);
    CPPUNIT_TEST(theWaitHoldsOnlyTheAddressThatFailed);
    CPPUNIT_TEST(repeatedFailuresBanTheAddressUntilTheBanEnds);
    CPPUNIT_TEST(successResetsTheCount);
    CPPUNIT_TEST(zeroSettingsDisableIt);
    CPPUNIT_TEST(tablesStayBounded);
    CPPUNIT_TEST_SUITE_END();

public:
    void aFailedIdWaits() {
        LoginThrottle t({2000, 5, 60000, 1000});
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.waitFor("c1", "10.0.0.1", 1000));
        t.recordFailure("c1", "10.0.0.1", 1000);
        CPPUNIT_ASSERT_EQUAL(int64_t(1500), t.waitFor("c1", "10.0.0.1", 1500));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.waitFor("c2", "10.0.0.1", 1500));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.waitFor("c1", "10.0.0.1", 3000));
    }

    // Someone failing for an id elsewhere cannot lock the real client out.
    void theWaitHoldsOnlyTheAddressThatFailed() {
        LoginThrottle t({2000, 5, 60000, 1000});
        t.recordFailure("c1", "203.0.113.9", 1000);
        CPPUNIT_ASSERT(t.waitFor("c1", "203.0.113.9", 1500) > 0);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.waitFor("c1", "10.0.0.1", 1500));
    }

    void repeatedFailuresBanTheAddressUntilTheBanEnds() {
        LoginThrottle t({0, 3, 60000, 1000});
        CPPUNIT_ASSERT(!t.recordFailure("a", "10.0.0.1", 0));
        CPPUNIT_ASSERT(!t.recordFailure("b", "10.0.0.1", 1));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.bannedFor("10.0.0.1", 2));
        CPPUNIT_ASSERT(t.recordFailure("c", "10.0.0.1", 2));
        CPPUNIT_ASSERT_EQUAL(int64_t(60000), t.bannedFor("10.0.0.1", 2));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.bannedFor("10.0.0.2", 2));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.bannedFor("10.0.0.1", 60002));
    }

    void successResetsTheCount() {
        LoginThrottle t({0, 2, 60000, 1000});
        t.recordFailure("a", "10.0.0.1", 0);
        t.recordSuccess("10.0.0.1");
        CPPUNIT_ASSERT(!t.recordFailure("a", "10.0.0.1", 1));
        CPPUNIT_ASSERT(t.recordFailure("a", "10.0.0.1", 2));
    }

    void zeroSettingsDisableIt() {
        LoginThrottle t({0, 0, 60000, 1000});
        for (int i = 0; i < 10; ++i) CPPUNIT_ASSERT(!t.recordFailure("a", "10.0.0.1", i));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.bannedFor("10.0.0.1", 10));
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.waitFor("a", "10.0.0.1", 10));
    }

    // An attacker cycling ids and addresses cannot grow the tables past the
    // bound; the newest entries survive.
    void tablesStayBounded() {
        LoginThrottle t({600000, 100, 600000, 100});
        for (int i = 0; i < 10000; ++i)
            t.recordFailure("id" + std::to_string(i),
                            "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), i);
        CPPUNIT_ASSERT(t.waitFor("id9999", "10.0.39.15", 10000) > 0);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), t.waitFor("id0", "10.0.0.0", 10000));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoginThrottleTest);
