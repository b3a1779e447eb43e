#include <cppunit/extensions/HelperMacros.h>

#include <thread>

#include "auth/VerificationCache.h"

using rportd::auth::VerificationCache;

class VerificationCacheTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(VerificationCacheTest);
    CPPUNIT_TEST(remembersOnlyTheExactTriple);
    CPPUNIT_TEST(aNewStoredHashNeverHits);
    CPPUNIT_TEST(forgetDropsEveryLineOfAnId);
    CPPUNIT_TEST(linesExpire);
    CPPUNIT_TEST(isBounded);
    CPPUNIT_TEST(fieldBoundariesCannotCollide);
    CPPUNIT_TEST_SUITE_END();

public:
    void remembersOnlyTheExactTriple() {
        VerificationCache c;
        c.remember("client1", "$2y$hash", "secret");
        CPPUNIT_ASSERT(c.contains("client1", "$2y$hash", "secret"));
        CPPUNIT_ASSERT(!c.contains("client1", "$2y$hash", "Secret"));
        CPPUNIT_ASSERT(!c.contains("client2", "$2y$hash", "secret"));
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), c.hits());
        CPPUNIT_ASSERT_EQUAL(uint64_t(2), c.misses());
    }

    void aNewStoredHashNeverHits() {
        VerificationCache c;
        c.remember("client1", "$2y$old", "secret");
        CPPUNIT_ASSERT(!c.contains("client1", "$2y$new", "secret"));
    }

    void forgetDropsEveryLineOfAnId() {
        VerificationCache c;
        c.remember("a", "h1", "s1");
        c.remember("a", "h1", "s2");
        c.remember("b", "h1", "s1");
        c.forget("a");
        CPPUNIT_ASSERT_EQUAL(size_t(1), c.size());
        CPPUNIT_ASSERT(!c.contains("a", "h1", "s1"));
        CPPUNIT_ASSERT(c.contains("b", "h1", "s1"));
    }

    void linesExpire() {
        VerificationCache c({10, std::chrono::seconds(1)});
        c.remember("a", "h", "s");
        CPPUNIT_ASSERT(c.contains("a", "h", "s"));
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        CPPUNIT_ASSERT(!c.contains("a", "h", "s"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), c.size());
    }

    void isBounded() {
        VerificationCache c({3, std::chrono::seconds(60)});
        for (int i = 0; i < 5; ++i) c.remember("id" + std::to_string(i), "h", "s");
        CPPUNIT_ASSERT_EQUAL(size_t(3), c.size());
        CPPUNIT_ASSERT(!c.contains("id0", "h", "s"));  // the oldest went first
        CPPUNIT_ASSERT(c.contains("id4", "h", "s"));
    }

    void fieldBoundariesCannotCollide() {
        VerificationCache c;
        c.remember("ab", "c", "d");
        CPPUNIT_ASSERT(!c.contains("a", "bc", "d"));
        CPPUNIT_ASSERT(!c.contains("ab", "", "cd"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(VerificationCacheTest);
