// The HTTP-01 token table the ACME listener serves from.
#include <cppunit/extensions/HelperMacros.h>

#include <thread>
#include <vector>

#include "plugin_host/Http01Tokens.h"

using rportd::plugin_host::Http01Tokens;

class Http01TokensTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Http01TokensTest);
    CPPUNIT_TEST(testTokenCharacters);
    CPPUNIT_TEST(testKeyAuthorizationCharacters);
    CPPUNIT_TEST(testPublishReplaceWithdraw);
    CPPUNIT_TEST(testInvalidPublishStoresNothing);
    CPPUNIT_TEST(testWithdrawAllKeepsOtherOwners);
    CPPUNIT_TEST(testConcurrentUse);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTokenCharacters() {
        CPPUNIT_ASSERT(Http01Tokens::isValidToken("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"));
        CPPUNIT_ASSERT(Http01Tokens::isValidToken("a"));
        CPPUNIT_ASSERT(Http01Tokens::isValidToken(std::string(256, '_')));
        CPPUNIT_ASSERT(!Http01Tokens::isValidToken(std::string(257, '_')));
        CPPUNIT_ASSERT(!Http01Tokens::isValidToken(""));
        for (const char* bad : {"a.b", "a/b", "..", "a+b", "a=", "a b", "ä", "a\r\n"})
            CPPUNIT_ASSERT_MESSAGE(bad, !Http01Tokens::isValidToken(bad));
    }

    void testKeyAuthorizationCharacters() {
        CPPUNIT_ASSERT(Http01Tokens::isValidKeyAuthorization(
            "tok.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ"));
        CPPUNIT_ASSERT(!Http01Tokens::isValidKeyAuthorization(""));
        CPPUNIT_ASSERT(!Http01Tokens::isValidKeyAuthorization("tok.thumb\r\nX-Injected: 1"));
        CPPUNIT_ASSERT(!Http01Tokens::isValidKeyAuthorization(std::string(513, 'a')));
    }

    void testPublishReplaceWithdraw() {
        Http01Tokens tokens;
        CPPUNIT_ASSERT(tokens.publish("tok", "tok.one"));
        CPPUNIT_ASSERT(tokens.publish("tok", "tok.two"));
        CPPUNIT_ASSERT_EQUAL(std::string("tok.two"), tokens.find("tok").value_or(""));
        CPPUNIT_ASSERT_EQUAL(size_t(1), tokens.size());
        CPPUNIT_ASSERT(tokens.withdraw("tok"));
        CPPUNIT_ASSERT(!tokens.withdraw("tok"));
        CPPUNIT_ASSERT(!tokens.find("tok"));
    }

    void testInvalidPublishStoresNothing() {
        Http01Tokens tokens;
        CPPUNIT_ASSERT(!tokens.publish("../x", "x.y"));
        CPPUNIT_ASSERT(!tokens.publish("ok", "bad auth"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), tokens.size());
    }

    void testWithdrawAllKeepsOtherOwners() {
        Http01Tokens tokens;
        int a = 0, b = 0;
        tokens.publish("a1", "a1.k", &a);
        tokens.publish("a2", "a2.k", &a);
        tokens.publish("b1", "b1.k", &b);
        tokens.withdrawAll(&a);
        CPPUNIT_ASSERT_EQUAL(size_t(1), tokens.size());
        CPPUNIT_ASSERT(tokens.find("b1"));
    }

    void testConcurrentUse() {
        Http01Tokens tokens;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&tokens, t] {
                for (int i = 0; i < 500; ++i) {
                    const std::string token = "t" + std::to_string(t) + "_" + std::to_string(i);
                    tokens.publish(token, token + ".k");
                    tokens.find(token);
                    if (i % 2) tokens.withdraw(token);
                }
            });
        for (auto& th : threads) th.join();
        CPPUNIT_ASSERT_EQUAL(size_t(4 * 250), tokens.size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Http01TokensTest);
