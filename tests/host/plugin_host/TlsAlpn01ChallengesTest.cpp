// The TLS-ALPN-01 challenge registry the TLS layer answers "acme-tls/1"
// handshakes from, and the listener it learns about changes through.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "LogCapture.h"
#include "plugin_host/TlsAlpn01Challenges.h"

using rportd::plugin_host::TlsAlpn01Challenges;
using Result = TlsAlpn01Challenges::PublishResult;

namespace {

// Owners are compared by address only.
int kOwnerA, kOwnerB;

}  // namespace

class TlsAlpn01ChallengesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TlsAlpn01ChallengesTest);
    CPPUNIT_TEST(testNames);
    CPPUNIT_TEST(testPairs);
    CPPUNIT_TEST(testNothingIsStoredWithoutAListener);
    CPPUNIT_TEST(testPublishLowerCasesAndTellsTheListener);
    CPPUNIT_TEST(testPublishingAgainReplacesAndTakesOver);
    CPPUNIT_TEST(testOnlyTheOwnerWithdraws);
    CPPUNIT_TEST(testWithdrawAllKeepsOtherOwners);
    CPPUNIT_TEST(testListenerMayReadTheRegistry);
    CPPUNIT_TEST(testUnregisteredListenerHearsNothingMore);
    CPPUNIT_TEST(testThrowingListenerIsLoggedAndThePublishUndone);
    CPPUNIT_TEST(testRefusingListenerUndoesThePublish);
    CPPUNIT_TEST(testConcurrentUse);
    CPPUNIT_TEST_SUITE_END();

public:
    void testNames() {
        for (const std::string& good : std::vector<std::string>{"example.com", "a", "xn--bcher-kva.example", "A-1.B-2.c",
                                       std::string(63, 'a') + ".com"})
            CPPUNIT_ASSERT_MESSAGE(good, TlsAlpn01Challenges::isValidName(good));
        std::string longest;
        while (longest.size() < 253) longest += longest.empty() ? "a" : ".a";
        CPPUNIT_ASSERT_EQUAL(size_t(253), longest.size());
        CPPUNIT_ASSERT(TlsAlpn01Challenges::isValidName(longest));
        CPPUNIT_ASSERT(!TlsAlpn01Challenges::isValidName(longest + "a"));
        for (const std::string& bad : std::vector<std::string>{"", ".", "..", ".example.com", "example.com.", "a..b",
                                      "*.example.com", "ex_ample.com", "exa mple.com", "a/b",
                                      "a\nb", "b\xc3\xbc" "cher.example", "[::1]",
                                      std::string(64, 'a') + ".com"})
            CPPUNIT_ASSERT_MESSAGE(bad, !TlsAlpn01Challenges::isValidName(bad));
    }

    void testPairs() {
        CPPUNIT_ASSERT(TlsAlpn01Challenges::isValidPair("c", "k"));
        CPPUNIT_ASSERT(TlsAlpn01Challenges::isValidPair(std::string(65536, 'c'), std::string(65536, 'k')));
        CPPUNIT_ASSERT(!TlsAlpn01Challenges::isValidPair("", "k"));
        CPPUNIT_ASSERT(!TlsAlpn01Challenges::isValidPair("c", ""));
        CPPUNIT_ASSERT(!TlsAlpn01Challenges::isValidPair(std::string(65537, 'c'), "k"));
        CPPUNIT_ASSERT(!TlsAlpn01Challenges::isValidPair("c", std::string(65537, 'k')));
    }

    void testNothingIsStoredWithoutAListener() {
        TlsAlpn01Challenges challenges;
        CPPUNIT_ASSERT(challenges.publish("example.com", "c", "k", &kOwnerA) == Result::NoListener);
        CPPUNIT_ASSERT_EQUAL(size_t(0), challenges.size());
        // Malformed input is refused as such, listener or not.
        CPPUNIT_ASSERT(challenges.publish("bad name", "c", "k", &kOwnerA) == Result::Invalid);
    }

    void testPublishLowerCasesAndTellsTheListener() {
        TlsAlpn01Challenges challenges;
        std::vector<std::string> heard;
        challenges.setListener([&](const std::string& name, const std::string* cert,
                                   const rport::sdk::SecretString* key) {
            heard.push_back(name +
                            (cert ? "=" + *cert + "/" + std::string(key->view()) : " withdrawn"));
            return true;
        });
        CPPUNIT_ASSERT(challenges.publish("WWW.Example.COM", "c1", "k1", &kOwnerA) ==
                       Result::Published);
        CPPUNIT_ASSERT(challenges.publish("www.example.com", "", "k1", &kOwnerA) == Result::Invalid);
        auto pair = challenges.find("www.EXAMPLE.com");
        CPPUNIT_ASSERT(pair && pair->first == "c1" && pair->second == "k1");
        CPPUNIT_ASSERT(!challenges.find("example.com"));
        CPPUNIT_ASSERT(challenges.withdraw("Www.Example.Com", &kOwnerA));
        CPPUNIT_ASSERT(!challenges.find("www.example.com"));
        CPPUNIT_ASSERT((heard == std::vector<std::string>{"www.example.com=c1/k1",
                                                          "www.example.com withdrawn"}));
    }

    void testPublishingAgainReplacesAndTakesOver() {
        TlsAlpn01Challenges challenges;
        challenges.setListener([](auto&&...) { return true; });
        challenges.publish("example.com", "c1", "k1", &kOwnerA);
        challenges.publish("example.com", "c2", "k2", &kOwnerB);
        CPPUNIT_ASSERT_EQUAL(size_t(1), challenges.size());
        CPPUNIT_ASSERT_EQUAL(std::string("c2"), challenges.find("example.com")->first);
        // A's challenge is gone, so A cannot pull B's.
        CPPUNIT_ASSERT(!challenges.withdraw("example.com", &kOwnerA));
        CPPUNIT_ASSERT(challenges.withdraw("example.com", &kOwnerB));
    }

    void testOnlyTheOwnerWithdraws() {
        TlsAlpn01Challenges challenges;
        challenges.setListener([](auto&&...) { return true; });
        challenges.publish("a.example.com", "c", "k", &kOwnerA);
        CPPUNIT_ASSERT(!challenges.withdraw("a.example.com", &kOwnerB));
        CPPUNIT_ASSERT(!challenges.withdraw("b.example.com", &kOwnerA));
        CPPUNIT_ASSERT(!challenges.withdraw("not valid", &kOwnerA));
        CPPUNIT_ASSERT(challenges.find("a.example.com"));
    }

    void testWithdrawAllKeepsOtherOwners() {
        TlsAlpn01Challenges challenges;
        std::vector<std::string> withdrawn;
        challenges.setListener(
            [&](const std::string& name, const std::string* cert, const rport::sdk::SecretString*) {
                if (!cert) withdrawn.push_back(name);
                return true;
            });
        challenges.publish("a1.example.com", "c", "k", &kOwnerA);
        challenges.publish("b.example.com", "c", "k", &kOwnerB);
        challenges.publish("a2.example.com", "c", "k", &kOwnerA);
        challenges.withdrawAll(&kOwnerA);
        CPPUNIT_ASSERT_EQUAL(size_t(1), challenges.size());
        CPPUNIT_ASSERT(challenges.find("b.example.com"));
        CPPUNIT_ASSERT((withdrawn == std::vector<std::string>{"a1.example.com", "a2.example.com"}));
    }

    void testListenerMayReadTheRegistry() {
        TlsAlpn01Challenges challenges;
        std::vector<size_t> sizes;
        bool foundWhilePublished = false;
        challenges.setListener(
            [&](const std::string& name, const std::string* cert, const rport::sdk::SecretString*) {
                sizes.push_back(challenges.size());
                if (cert) foundWhilePublished = challenges.find(name).has_value();
                return true;
            });
        challenges.publish("example.com", "c", "k", &kOwnerA);
        challenges.withdraw("example.com", &kOwnerA);
        CPPUNIT_ASSERT(foundWhilePublished);  // the change is in before the listener hears of it
        CPPUNIT_ASSERT((sizes == std::vector<size_t>{1, 0}));
    }

    void testUnregisteredListenerHearsNothingMore() {
        TlsAlpn01Challenges challenges;
        int heard = 0;
        challenges.setListener([&](auto&&...) { ++heard; return true; });
        challenges.publish("example.com", "c", "k", &kOwnerA);
        challenges.setListener(nullptr);
        // Withdrawing still works without a listener; publishing does not.
        CPPUNIT_ASSERT(challenges.withdraw("example.com", &kOwnerA));
        CPPUNIT_ASSERT(challenges.publish("example.com", "c", "k", &kOwnerA) == Result::NoListener);
        CPPUNIT_ASSERT_EQUAL(1, heard);
    }

    void testThrowingListenerIsLoggedAndThePublishUndone() {
        rport::test::LogCapture log;
        TlsAlpn01Challenges challenges;
        challenges.setListener([](auto&&...) -> bool { throw std::runtime_error("context swap failed"); });
        CPPUNIT_ASSERT(challenges.publish("example.com", "c", "k", &kOwnerA) == Result::Refused);
        CPPUNIT_ASSERT(!challenges.find("example.com"));
        challenges.withdrawAll(&kOwnerA);  // runs while an instance closes: must not throw
        CPPUNIT_ASSERT_EQUAL(size_t(0), challenges.size());
        // The publish and its undo.
        CPPUNIT_ASSERT_EQUAL(
            size_t(2),
            log.errorsMentioning("TLS-ALPN-01 listener failed for example.com: context swap failed")
                .size());
    }

    // A TLS layer that cannot answer (an unusable pair, an API that does not
    // listen): the plugin hears so, and the pair that was there stays.
    void testRefusingListenerUndoesThePublish() {
        TlsAlpn01Challenges challenges;
        std::vector<std::string> heard;
        challenges.setListener(
            [&](const std::string& name, const std::string* cert, const rport::sdk::SecretString*) {
                heard.push_back(name + "=" + (cert ? *cert : "-"));
                return !cert || *cert != "bad";
            });
        CPPUNIT_ASSERT(challenges.publish("example.com", "good", "k", &kOwnerA) == Result::Published);
        CPPUNIT_ASSERT(challenges.publish("example.com", "bad", "k", &kOwnerB) == Result::Refused);
        CPPUNIT_ASSERT_EQUAL(std::string("good"), challenges.find("example.com")->first);
        CPPUNIT_ASSERT(challenges.withdraw("example.com", &kOwnerA));  // still A's
        CPPUNIT_ASSERT(challenges.publish("other.example.com", "bad", "k", &kOwnerA) == Result::Refused);
        CPPUNIT_ASSERT(!challenges.find("other.example.com"));
        CPPUNIT_ASSERT((heard == std::vector<std::string>{"example.com=good", "example.com=bad",
                                                          "example.com=good", "example.com=-",
                                                          "other.example.com=bad",
                                                          "other.example.com=-"}));
    }

    void testConcurrentUse() {
        TlsAlpn01Challenges challenges;
        std::atomic<int> heard{0};
        challenges.setListener([&](auto&&...) { ++heard; return true; });
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&challenges, t] {
                const std::string name = "t" + std::to_string(t) + ".example.com";
                for (int i = 0; i < 200; ++i) {
                    challenges.publish(name, "c" + std::to_string(i), "k", &kOwnerA);
                    challenges.find(name);
                    challenges.withdraw(name, &kOwnerA);
                }
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(size_t(0), challenges.size());
        CPPUNIT_ASSERT_EQUAL(4 * 200 * 2, heard.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TlsAlpn01ChallengesTest);
