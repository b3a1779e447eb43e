// cert-provider "certbot": a certbot-shaped tree (live/ symlinks into
// archive/, renewal/NAME.conf), renewals the way certbot makes them, and the
// advice about the renewal configuration.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "CertFixtures.h"

using namespace rport::test::certfiles;
using rport::test::TempDir;

namespace {

const std::string kName = "rport.example.com";

const std::string kStandaloneConf =
    "# renew_before_expiry = 30 days\n"
    "version = 2.1.0\n"
    "archive_dir = ARCHIVE\n"
    "cert = LIVE/cert.pem\n"
    "privkey = LIVE/privkey.pem\n"
    "chain = LIVE/chain.pem\n"
    "fullchain = LIVE/fullchain.pem\n"
    "\n"
    "# Options used in the renewal process\n"
    "[renewalparams]\n"
    "account = 0123456789abcdef\n"
    "authenticator = standalone\n"
    "server = https://acme-v02.api.letsencrypt.org/directory\n"
    "key_type = ecdsa\n";

// What certbot keeps for one certificate name, under <root>/letsencrypt.
class CertbotTree {
public:
    CertbotTree(const TempDir& dir, TestCa& ca) : _ca(ca), config(dir.file("letsencrypt")) {
        for (const std::string& d : {config, config + "/live", config + "/archive", config + "/renewal",
                                     live(), archive()})
            ::mkdir(d.c_str(), 0700);
    }
    std::string live() const { return config + "/live/" + kName; }
    std::string archive() const { return config + "/archive/" + kName; }
    std::string renewalConf() const { return config + "/renewal/" + kName + ".conf"; }
    void writeRenewal(const std::string& text) const { writeInPlace(renewalConf(), text, 0644); }

    // One issuance or renewal: new archive files N, then the live links re-pointed
    // one by one (certbot unlinks and re-creates each), with a pause between
    // fullchain and privkey so a mismatched pair is visible for a while.
    Issued renew(std::chrono::milliseconds pause = std::chrono::milliseconds(0)) {
        ++_n;
        Issued i = _ca.issue(kName);
        const std::string n = std::to_string(_n);
        writeInPlace(archive() + "/cert" + n + ".pem", i.certPem, 0644);
        writeInPlace(archive() + "/chain" + n + ".pem", _ca.certPem(), 0644);
        writeInPlace(archive() + "/fullchain" + n + ".pem", i.chainPem, 0644);
        writeInPlace(archive() + "/privkey" + n + ".pem", i.keyPem, 0600);
        for (const std::string kind : {"cert", "chain", "fullchain", "privkey"}) {
            const std::string link = live() + "/" + kind + ".pem";
            ::unlink(link.c_str());
            const std::string target = "../../archive/" + kName + "/" + kind + n + ".pem";
            if (::symlink(target.c_str(), link.c_str()) != 0) throw std::runtime_error("symlink " + link);
            if (kind == "fullchain" && pause.count() > 0) std::this_thread::sleep_for(pause);
        }
        return i;
    }

private:
    TestCa& _ca;
    int _n = 0;

public:
    const std::string config;
};

}  // namespace

class CertbotProviderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertbotProviderTest);
    CPPUNIT_TEST(servesTheLineageByName);
    CPPUNIT_TEST(servesTheLineageByCertFile);
    CPPUNIT_TEST(settingErrors);
    CPPUNIT_TEST(startUpErrorsNameTheFile);
    CPPUNIT_TEST(everyRenewalIsServed);
    CPPUNIT_TEST(renewNowRereadsAtOnce);
    CPPUNIT_TEST(standaloneOnRportdsPortWarns);
    CPPUNIT_TEST(standaloneWithoutAcmePortIsQuiet);
    CPPUNIT_TEST(webrootIsQuiet);
    CPPUNIT_TEST(foreignWebrootWarns);
    CPPUNIT_TEST(restartHooksAreUnneeded);
    CPPUNIT_TEST(missingRenewalConf);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TempDir> dir;
    std::unique_ptr<Harness> h;
    std::unique_ptr<TestCa> ca;
    std::unique_ptr<CertbotTree> tree;

    void useLineage() { h->host.settings = {{"lineage", kName}, {"config_dir", tree->config}}; }

public:
    void setUp() override {
        dir = std::make_unique<TempDir>();
        h = std::make_unique<Harness>();
        ca = std::make_unique<TestCa>();
        tree = std::make_unique<CertbotTree>(*dir, *ca);
        tree->writeRenewal(kStandaloneConf);
    }
    void tearDown() override {
        h.reset();
        tree.reset();
        dir.reset();
    }

    void servesTheLineageByName() {
        const Issued first = tree->renew();
        useLineage();
        auto c = h->create("certbot");
        std::optional<rport::sdk::CertBundle> b;
        CPPUNIT_ASSERT(c->current(b).ok());
        CPPUNIT_ASSERT_EQUAL(first.serial, firstSerial(b->chainPem));
        CPPUNIT_ASSERT_EQUAL(size_t(2), certificateCount(b->chainPem));
        CPPUNIT_ASSERT(keyMatches(b->chainPem, b->keyPem));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_INFO, "certificate loaded from " + tree->live() +
                                                                         "/fullchain.pem (serial " + first.serial));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0), h->countLogs(RPORT_LOG_WARNING));
    }

    void servesTheLineageByCertFile() {
        const Issued first = tree->renew();
        h->host.settings = {{"cert_file", tree->live() + "/fullchain.pem"},
                            {"key_file", tree->live() + "/privkey.pem"},
                            {"acme_http_port", "80"}};
        auto c = h->create("certbot");
        CPPUNIT_ASSERT_EQUAL(first.serial, Harness::servedSerial(*c));
        // config_dir and lineage were derived from the path: the renewal conf was read.
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(1),
                                     h->countLogs(RPORT_LOG_WARNING, tree->renewalConf() + ": certbot renews"));
    }

    void settingErrors() {
        tree->renew();
        h->host.settings = {};
        CPPUNIT_ASSERT(h->createError("certbot").rfind("missing setting 'lineage'", 0) == 0);
        h->host.settings = {{"cert_file", dir->file("server.crt")}, {"key_file", dir->file("server.key")}};
        CPPUNIT_ASSERT_EQUAL("cert_file " + dir->file("server.crt") +
                                 " does not lie in a certbot directory <config_dir>/live/<name>/; use the 'files' "
                                 "provider for certificates elsewhere",
                             h->createError("certbot"));
        h->host.settings = {{"cert_file", tree->live() + "/fullchain.pem"}};
        CPPUNIT_ASSERT_EQUAL(std::string("missing setting 'key_file'"), h->createError("certbot"));
        h->host.settings = {{"cert_file", tree->live() + "/fullchain.pem"},
                            {"key_file", tree->live() + "/privkey.pem"},
                            {"lineage", "other.example.com"}};
        CPPUNIT_ASSERT(h->createError("certbot").find("does not match cert_file") != std::string::npos);
        useLineage();
        h->host.settings["acme_http_port"] = "eighty";
        CPPUNIT_ASSERT_EQUAL(std::string("setting 'acme_http_port' must be a whole number from 0 to 65535, got "
                                         "\"eighty\""),
                             h->createError("certbot"));
    }

    void startUpErrorsNameTheFile() {
        useLineage();
        CPPUNIT_ASSERT_EQUAL("cannot read certificate file " + tree->live() +
                                 "/fullchain.pem: No such file or directory",
                             h->createError("certbot"));
        tree->renew();
        writeInPlace(tree->archive() + "/privkey1.pem", ca->issue(kName).keyPem);
        CPPUNIT_ASSERT_EQUAL("the key in " + tree->live() + "/privkey.pem does not match the certificate in " +
                                 tree->live() + "/fullchain.pem",
                             h->createError("certbot"));
    }

    void everyRenewalIsServed() {
        tree->renew();
        useLineage();
        h->host.settings["acme_http_port"] = "0";
        auto c = h->create("certbot");
        for (int round = 1; round <= 4; ++round) {
            // The last two rounds leave fullchain and privkey mismatched for 150 ms.
            const Issued next = tree->renew(std::chrono::milliseconds(round > 2 ? 150 : 0));
            CPPUNIT_ASSERT_MESSAGE("round " + std::to_string(round) + "\n" + h->allLogs(),
                                   waitUntil([&] { return Harness::servedSerial(*c) == next.serial; }));
            CPPUNIT_ASSERT(waitUntil([&] { return h->host.certChangedCount() == round; }));
            std::optional<rport::sdk::CertBundle> b;
            CPPUNIT_ASSERT(c->current(b).ok());
            CPPUNIT_ASSERT(keyMatches(b->chainPem, b->keyPem));
        }
        CPPUNIT_ASSERT_EQUAL(size_t(4), h->countLogs(RPORT_LOG_INFO, "certificate reloaded from " + tree->live() +
                                                                         "/fullchain.pem (serial "));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0), h->countLogs(RPORT_LOG_ERROR));
    }

    void renewNowRereadsAtOnce() {
        tree->renew();
        useLineage();
        h->host.settings["inotify"] = "false";
        auto c = h->create("certbot");
        const Issued next = tree->renew();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CPPUNIT_ASSERT(Harness::servedSerial(*c) != next.serial);  // no inotify, no timer fired
        CPPUNIT_ASSERT(c->renewNow().ok());
        CPPUNIT_ASSERT(waitUntil([&] { return Harness::servedSerial(*c) == next.serial; }, std::chrono::seconds(2)));
        CPPUNIT_ASSERT_EQUAL(1, h->host.certChangedCount());
    }

    void standaloneOnRportdsPortWarns() {
        tree->renew();
        useLineage();
        h->host.settings["acme_http_port"] = "80";
        h->host.settings["challenge_webroot"] = "/var/lib/rport/acme-challenge";
        auto c = h->create("certbot");
        const std::string fix = "certbot reconfigure --cert-name " + kName +
                                " --webroot -w /var/lib/rport/acme-challenge (certbot 2.3 or later; with older "
                                "certbot: certbot certonly --cert-name " + kName +
                                " --webroot -w /var/lib/rport/acme-challenge -d " + kName + " --force-renewal";
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(1), h->countLogs(RPORT_LOG_WARNING));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_WARNING, tree->renewalConf() + ": certbot renews \"" +
                                                                            kName + "\" with its standalone server"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_WARNING, "(acme_http_port = 80): the renewal will fail"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(1), h->countLogs(RPORT_LOG_WARNING, fix));
    }

    void standaloneWithoutAcmePortIsQuiet() {
        tree->renew();
        useLineage();
        h->host.settings["acme_http_port"] = "0";
        auto c = h->create("certbot");
        // Another port than certbot's standalone one: no conflict either.
        h->host.settings["acme_http_port"] = "8080";
        auto d = h->create("certbot");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0), h->countLogs(RPORT_LOG_WARNING));
    }

    void webrootIsQuiet() {
        tree->renew();
        std::string conf = kStandaloneConf;
        conf.replace(conf.find("authenticator = standalone"), 26, "authenticator = webroot");
        conf += "webroot_path = /var/lib/rport/acme-challenge,\n[[webroot_map]]\n" + kName +
                " = /var/lib/rport/acme-challenge\n";
        tree->writeRenewal(conf);
        useLineage();
        h->host.settings["acme_http_port"] = "80";
        h->host.settings["challenge_webroot"] = "/var/lib/rport/acme-challenge/";
        auto c = h->create("certbot");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0), h->countLogs(RPORT_LOG_WARNING));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0), h->countLogs(RPORT_LOG_ERROR));
    }

    void foreignWebrootWarns() {
        tree->renew();
        std::string conf = kStandaloneConf;
        conf.replace(conf.find("authenticator = standalone"), 26, "authenticator = webroot");
        conf += "webroot_path = /var/www/html,\n";
        tree->writeRenewal(conf);
        useLineage();
        h->host.settings["acme_http_port"] = "80";
        h->host.settings["challenge_webroot"] = "/var/lib/rport/acme-challenge";
        auto c = h->create("certbot");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            h->allLogs(), size_t(1),
            h->countLogs(RPORT_LOG_WARNING, "webroot other than rportd's (/var/lib/rport/acme-challenge)"));
    }

    void restartHooksAreUnneeded() {
        tree->renew();
        tree->writeRenewal(kStandaloneConf + "renew_hook = systemctl restart rportd\npost_hook = echo done\n");
        useLineage();
        auto c = h->create("certbot");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(1),
                                     h->countLogs(RPORT_LOG_INFO, tree->renewalConf() +
                                                                      ": the renew_hook \"systemctl restart rportd\" "
                                                                      "is not needed: rportd notices the renewed "
                                                                      "certificate and reloads it by itself"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h->countLogs(RPORT_LOG_INFO, "post_hook"));

        // The hook directories certbot runs for every lineage.
        for (const std::string d : {"/renewal-hooks", "/renewal-hooks/pre", "/renewal-hooks/post"})
            ::mkdir((tree->config + d).c_str(), 0755);
        writeInPlace(tree->config + "/renewal-hooks/pre/stop-rport.sh", "#!/bin/sh\nsystemctl stop rportd\n", 0755);
        writeInPlace(tree->config + "/renewal-hooks/post/other.sh", "#!/bin/sh\nsystemctl reload nginx\n", 0755);
        auto d = h->create("certbot");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            h->allLogs(), size_t(1),
            h->countLogs(RPORT_LOG_INFO, tree->config + "/renewal-hooks/pre/stop-rport.sh: this certbot pre hook "
                                                        "mentions rport; restarting rportd for a renewal is not needed"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h->countLogs(RPORT_LOG_INFO, "other.sh"));
    }

    void missingRenewalConf() {
        tree->renew();
        ::unlink(tree->renewalConf().c_str());
        useLineage();
        auto c = h->create("certbot");  // still serves
        CPPUNIT_ASSERT(!Harness::servedSerial(*c).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(1),
                                     h->countLogs(RPORT_LOG_WARNING, tree->renewalConf() + " does not exist: " +
                                                                         tree->live() + "/ is not a certbot lineage"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertbotProviderTest);
