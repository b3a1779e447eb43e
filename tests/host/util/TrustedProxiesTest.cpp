#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

#include "util/TrustedProxies.h"

using rportd::util::TrustedProxies;

class TrustedProxiesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TrustedProxiesTest);
    CPPUNIT_TEST(withoutProxiesTheHeaderIsIgnored);
    CPPUNIT_TEST(anUntrustedPeerCannotNameAnAddress);
    CPPUNIT_TEST(aTrustedProxyIsBelievedUpToTheFirstUntrustedHop);
    CPPUNIT_TEST(garbageEndsTheWalkAtTheLastTrustedHop);
    CPPUNIT_TEST(networksMatchByPrefix);
    CPPUNIT_TEST(badEntriesAreRefusedByName);
    CPPUNIT_TEST_SUITE_END();

public:
    void withoutProxiesTheHeaderIsIgnored() {
        TrustedProxies none;
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"),
                             none.clientAddress("192.0.2.1", "203.0.113.5"));
    }

    void anUntrustedPeerCannotNameAnAddress() {
        TrustedProxies proxies({"127.0.0.1"});
        CPPUNIT_ASSERT_EQUAL(std::string("192.0.2.1"),
                             proxies.clientAddress("192.0.2.1", "203.0.113.5"));
    }

    void aTrustedProxyIsBelievedUpToTheFirstUntrustedHop() {
        TrustedProxies proxies({"127.0.0.1", "10.0.0.0/8"});
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.5"),
                             proxies.clientAddress("127.0.0.1", "203.0.113.5"));
        // The client wrote the left part itself: only what our proxies appended counts.
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.5"),
                             proxies.clientAddress("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.2.3"));
        CPPUNIT_ASSERT_EQUAL(std::string("2001:db8::1"),
                             proxies.clientAddress("127.0.0.1", " 2001:db8::1 "));
        // Only proxies all the way: the leftmost is what is known.
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.9"),
                             proxies.clientAddress("127.0.0.1", "10.0.0.9"));
        // No header from a trusted proxy: the proxy itself.
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), proxies.clientAddress("127.0.0.1", ""));
        // IPv4-mapped addresses are written the short way.
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.5"),
                             proxies.clientAddress("127.0.0.1", "::ffff:203.0.113.5"));
    }

    void garbageEndsTheWalkAtTheLastTrustedHop() {
        TrustedProxies proxies({"127.0.0.1", "10.0.0.0/8"});
        CPPUNIT_ASSERT_EQUAL(std::string("10.1.2.3"),
                             proxies.clientAddress("127.0.0.1", "1.2.3.4, evil\n, 10.1.2.3"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"),
                             proxies.clientAddress("127.0.0.1", "unknown"));
    }

    void networksMatchByPrefix() {
        TrustedProxies proxies({"192.0.2.128/25", "fd00::/8", "::1"});
        CPPUNIT_ASSERT(proxies.contains("192.0.2.200"));
        CPPUNIT_ASSERT(!proxies.contains("192.0.2.127"));
        CPPUNIT_ASSERT(proxies.contains("fdab::5"));
        CPPUNIT_ASSERT(!proxies.contains("fe80::1"));
        CPPUNIT_ASSERT(proxies.contains("::1"));
        CPPUNIT_ASSERT(!proxies.contains("127.0.0.1"));
        CPPUNIT_ASSERT(!proxies.contains("not an address"));
        CPPUNIT_ASSERT(TrustedProxies({"0.0.0.0/0"}).contains("198.51.100.7"));
        CPPUNIT_ASSERT(!TrustedProxies({"0.0.0.0/0"}).contains("2001:db8::1"));
    }

    void badEntriesAreRefusedByName() {
        for (const char* bad :
             {"localhost", "10.0.0.0/33", "10.0.0.0/", "::1/129", "1.2.3.4/x", ""}) {
            try {
                TrustedProxies proxies({bad});
                CPPUNIT_FAIL(std::string("accepted ") + bad);
            } catch (const std::invalid_argument& e) {
                CPPUNIT_ASSERT_MESSAGE(e.what(),
                                       std::string(e.what()).find(std::string("\"") + bad + "\"") !=
                                           std::string::npos);
            }
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TrustedProxiesTest);
