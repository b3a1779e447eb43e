// Recognising a certbot lineage from a certificate path (host side).
#include <cppunit/extensions/HelperMacros.h>

#include <set>

#include "config/CertbotPath.h"

namespace rportd::config::test {

class CertbotPathTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertbotPathTest);
    CPPUNIT_TEST(livePathsAreRecognised);
    CPPUNIT_TEST(otherPathsAreNot);
    CPPUNIT_TEST(renewalConfMustExist);
    CPPUNIT_TEST_SUITE_END();

public:
    void livePathsAreRecognised() {
        auto l = certbotLineageOfPath("/etc/letsencrypt/live/rport.example.com/fullchain.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/letsencrypt"), l->configDir);
        CPPUNIT_ASSERT_EQUAL(std::string("rport.example.com"), l->name);
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/letsencrypt/renewal/rport.example.com.conf"), l->renewalConf);
        l = certbotLineageOfPath("/etc//letsencrypt/./live/x/privkey.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/letsencrypt/renewal/x.conf"), l->renewalConf);
        l = certbotLineageOfPath("/live/x/cert.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("/renewal/x.conf"), l->renewalConf);
        l = certbotLineageOfPath("le/live/x/cert.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("le/renewal/x.conf"), l->renewalConf);
    }

    void otherPathsAreNot() {
        CPPUNIT_ASSERT(!certbotLineageOfPath(""));
        CPPUNIT_ASSERT(!certbotLineageOfPath("/var/lib/rport/server.crt"));
        CPPUNIT_ASSERT(!certbotLineageOfPath("/etc/letsencrypt/archive/x/fullchain1.pem"));
        CPPUNIT_ASSERT(!certbotLineageOfPath("/etc/letsencrypt/live/fullchain.pem"));
        CPPUNIT_ASSERT(!certbotLineageOfPath("/etc/letsencrypt/live/../fullchain.pem"));
        CPPUNIT_ASSERT(!certbotLineageOfPath("/etc/letsencrypt/live/x/deeper/fullchain.pem"));
    }

    void renewalConfMustExist() {
        std::set<std::string> asked;
        const std::string path = "/etc/letsencrypt/live/a.example/fullchain.pem";
        auto none = certbotLineageOf(path, [&](const std::string& p) {
            asked.insert(p);
            return false;
        });
        CPPUNIT_ASSERT(!none);
        CPPUNIT_ASSERT(asked == std::set<std::string>{"/etc/letsencrypt/renewal/a.example.conf"});
        CPPUNIT_ASSERT(certbotLineageOf(path, [](const std::string&) { return true; }));
        CPPUNIT_ASSERT(!certbotLineageOf("/srv/cert.pem", [](const std::string&) { return true; }));
        CPPUNIT_ASSERT(!certbotLineageOnDisk("/nonexistent/live/a/fullchain.pem"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertbotPathTest);

}  // namespace rportd::config::test
