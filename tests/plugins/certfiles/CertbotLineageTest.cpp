// The pure parts of the certbot provider: where a lineage lives, reading a
// renewal configuration, and the advice drawn from it.
#include <cppunit/extensions/HelperMacros.h>
#include <rport/plugin.h>

#include "CertbotLineage.h"

using namespace rport::plugins::certfiles;

class CertbotLineageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertbotLineageTest);
    CPPUNIT_TEST(lineageFromLivePaths);
    CPPUNIT_TEST(otherPathsAreNoLineage);
    CPPUNIT_TEST(derivedPaths);
    CPPUNIT_TEST(parsesRenewalConf);
    CPPUNIT_TEST(standaloneAdvice);
    CPPUNIT_TEST(webrootAdvice);
    CPPUNIT_TEST(hookAdvice);
    CPPUNIT_TEST_SUITE_END();

    static RenewalContext context(int port, std::string webroot = "/srv/acme") {
        RenewalContext c;
        c.confPath = "/etc/letsencrypt/renewal/r.example.conf";
        c.lineage = "r.example";
        c.acmeHttpPort = port;
        c.challengeWebroot = std::move(webroot);
        c.domains = {"r.example", "www.r.example"};
        return c;
    }

public:
    void lineageFromLivePaths() {
        auto l = lineageFromPath("/etc/letsencrypt/live/rport.example.com/fullchain.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/letsencrypt"), l->configDir);
        CPPUNIT_ASSERT_EQUAL(std::string("rport.example.com"), l->name);
        l = lineageFromPath("//etc//letsencrypt/./live/x/privkey.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/letsencrypt"), l->configDir);
        l = lineageFromPath("/live/x/cert.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("/"), l->configDir);
        l = lineageFromPath("conf/live/x/cert.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("conf"), l->configDir);
        l = lineageFromPath("live/x/cert.pem");
        CPPUNIT_ASSERT(l);
        CPPUNIT_ASSERT_EQUAL(std::string("."), l->configDir);
    }

    void otherPathsAreNoLineage() {
        CPPUNIT_ASSERT(!lineageFromPath(""));
        CPPUNIT_ASSERT(!lineageFromPath("/var/lib/rport/server.crt"));
        CPPUNIT_ASSERT(!lineageFromPath("/etc/letsencrypt/archive/x/fullchain1.pem"));
        CPPUNIT_ASSERT(!lineageFromPath("/etc/letsencrypt/live/fullchain.pem"));
        CPPUNIT_ASSERT(!lineageFromPath("/etc/letsencrypt/live/../fullchain.pem"));
        CPPUNIT_ASSERT(!lineageFromPath("/etc/letsencrypt/live/x/sub/fullchain.pem"));
    }

    void derivedPaths() {
        const LineageLocation l{"/etc/letsencrypt", "a.example"};
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/letsencrypt/live/a.example/privkey.pem"), livePath(l, "privkey.pem"));
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/letsencrypt/renewal/a.example.conf"), renewalConfPath(l));
        CPPUNIT_ASSERT_EQUAL(std::string("/renewal/b.conf"), renewalConfPath(LineageLocation{"/", "b"}));
    }

    void parsesRenewalConf() {
        const RenewalConf c = parseRenewalConf(
            "# comment\nversion = 2.1.0\ncert = /x/cert.pem\n\n[renewalparams]\n  authenticator=webroot \n"
            "webroot_path = /a, /b,\nnot a pair\n[[webroot_map]]\nr.example = /a\n");
        CPPUNIT_ASSERT_EQUAL(std::string("2.1.0"), c.get("", "version"));
        CPPUNIT_ASSERT_EQUAL(std::string("webroot"), c.get("renewalparams", "authenticator"));
        CPPUNIT_ASSERT_EQUAL(std::string("/a, /b,"), c.get("renewalparams", "webroot_path"));
        CPPUNIT_ASSERT_EQUAL(std::string("/a"), c.get("webroot_map", "r.example"));
        CPPUNIT_ASSERT_EQUAL(std::string(), c.get("renewalparams", "missing"));
        CPPUNIT_ASSERT_EQUAL(std::string(), c.get("nosection", "version"));
    }

    void standaloneAdvice() {
        const RenewalConf standalone = parseRenewalConf("[renewalparams]\nauthenticator = standalone\n");
        auto a = adviseOnRenewal(standalone, context(80));
        CPPUNIT_ASSERT_EQUAL(size_t(1), a.size());
        CPPUNIT_ASSERT_EQUAL(RPORT_LOG_WARNING, a[0].level);
        CPPUNIT_ASSERT(a[0].text.rfind("/etc/letsencrypt/renewal/r.example.conf: certbot renews \"r.example\"", 0) == 0);
        CPPUNIT_ASSERT(a[0].text.find("certbot reconfigure --cert-name r.example --webroot -w /srv/acme") !=
                       std::string::npos);
        CPPUNIT_ASSERT(a[0].text.find("certbot certonly --cert-name r.example --webroot -w /srv/acme -d r.example -d "
                                      "www.r.example --force-renewal") != std::string::npos);
        CPPUNIT_ASSERT(a[0].text.find("'authenticator = webroot' and 'webroot_path = /srv/acme,'") !=
                       std::string::npos);
        CPPUNIT_ASSERT(adviseOnRenewal(standalone, context(0)).empty());
        CPPUNIT_ASSERT(adviseOnRenewal(standalone, context(8080)).empty());
        // certbot's standalone server moved to rportd's port.
        const RenewalConf moved =
            parseRenewalConf("[renewalparams]\nauthenticator = standalone\nhttp01_port = 8080\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), adviseOnRenewal(moved, context(8080)).size());
        CPPUNIT_ASSERT(adviseOnRenewal(moved, context(80)).empty());
        // Without a known webroot the fix still reads as a command.
        a = adviseOnRenewal(standalone, context(80, ""));
        CPPUNIT_ASSERT(a[0].text.find("--webroot -w <rportd's challenge webroot>") != std::string::npos);
    }

    void webrootAdvice() {
        const RenewalConf ours = parseRenewalConf("[renewalparams]\nauthenticator = webroot\nwebroot_path = /srv/acme/,\n");
        CPPUNIT_ASSERT(adviseOnRenewal(ours, context(80)).empty());
        const RenewalConf mapped = parseRenewalConf(
            "[renewalparams]\nauthenticator = webroot\nwebroot_path = /var/www,\n[[webroot_map]]\nr.example = /srv/acme\n");
        CPPUNIT_ASSERT(adviseOnRenewal(mapped, context(80)).empty());
        const RenewalConf foreign =
            parseRenewalConf("[renewalparams]\nauthenticator = webroot\nwebroot_path = /var/www,\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), adviseOnRenewal(foreign, context(80)).size());
        CPPUNIT_ASSERT(adviseOnRenewal(foreign, context(0)).empty());
        CPPUNIT_ASSERT(adviseOnRenewal(foreign, context(80, "")).empty());
        const RenewalConf manual = parseRenewalConf("[renewalparams]\nauthenticator = manual\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), adviseOnRenewal(manual, context(0)).size());
        const RenewalConf dns = parseRenewalConf("[renewalparams]\nauthenticator = dns-cloudflare\n");
        CPPUNIT_ASSERT(adviseOnRenewal(dns, context(80)).empty());
    }

    void hookAdvice() {
        const RenewalConf hooks = parseRenewalConf(
            "[renewalparams]\nauthenticator = webroot\nwebroot_path = /srv/acme\n"
            "pre_hook = service rportd stop\npost_hook = service rportd start\n"
            "renew_hook = /usr/local/bin/restart-RPORT.sh\ndeploy_hook = systemctl reload nginx\n");
        const auto a = adviseOnRenewal(hooks, context(80));
        CPPUNIT_ASSERT_EQUAL(size_t(3), a.size());
        for (const auto& item : a) CPPUNIT_ASSERT_EQUAL(RPORT_LOG_INFO, item.level);
        CPPUNIT_ASSERT(a[0].text.find("the pre_hook \"service rportd stop\" is not needed") != std::string::npos);
        CPPUNIT_ASSERT(a[2].text.find("renew_hook") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertbotLineageTest);
