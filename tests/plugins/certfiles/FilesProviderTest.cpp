// cert-provider "files": start-up errors and warnings, then reloading.
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "CertFixtures.h"

using namespace rport::test::certfiles;
using rport::test::TempDir;

class FilesProviderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FilesProviderTest);
    CPPUNIT_TEST(servesChainAndKeyLeafFirst);
    CPPUNIT_TEST(servesRsaSelfSigned);
    CPPUNIT_TEST(certificateAndKeyInOneFile);
    CPPUNIT_TEST(keyWithEcParametersFromTheOpensslCli);
    CPPUNIT_TEST(missingSettings);
    CPPUNIT_TEST(unreadableFiles);
    CPPUNIT_TEST(notPem);
    CPPUNIT_TEST(passwordProtectedKey);
    CPPUNIT_TEST(keyOfAnotherCertificate);
    CPPUNIT_TEST(brokenSecondCertificate);
    CPPUNIT_TEST(keyPermissionWarnings);
    CPPUNIT_TEST(replacedByRename);
    CPPUNIT_TEST(copiedOverInPlaceNeverServesAMismatch);
    CPPUNIT_TEST(mismatchIsRefusedOnceThenFixed);
    CPPUNIT_TEST(periodicCheckWithoutInotify);
    CPPUNIT_TEST(renewNowRereadsAtOnce);
    CPPUNIT_TEST(destroyCancelsTimer);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TempDir> dir;
    std::unique_ptr<Harness> h;
    std::unique_ptr<TestCa> ca;
    std::string cert, key;

    void install(const Issued& i) {
        writeInPlace(cert, i.chainPem, 0644);
        writeInPlace(key, i.keyPem, 0600);
    }

public:
    void setUp() override {
        dir = std::make_unique<TempDir>();
        h = std::make_unique<Harness>();
        ca = std::make_unique<TestCa>();
        cert = dir->file("server.crt");
        key = dir->file("server.key");
        h->host.settings = {{"cert_file", cert}, {"key_file", key}};
    }
    void tearDown() override {
        h.reset();
        dir.reset();
    }

    void servesChainAndKeyLeafFirst() {
        const Issued i = ca->issue("rport.example.com");
        install(i);
        auto c = h->create("files");
        std::optional<rport::sdk::CertBundle> b;
        CPPUNIT_ASSERT(c->current(b).ok());
        CPPUNIT_ASSERT_EQUAL(size_t(2), certificateCount(b->chainPem));
        CPPUNIT_ASSERT_EQUAL(i.serial, firstSerial(b->chainPem));
        CPPUNIT_ASSERT(b->chainPem.find(ca->certPem()) == b->chainPem.size() - ca->certPem().size());
        CPPUNIT_ASSERT(keyMatches(b->chainPem, b->keyPem));
        CPPUNIT_ASSERT(b->notAfter - b->notBefore > 89L * 24 * 3600);
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_INFO, "certificate loaded from " + cert +
                                                                         " (serial " + i.serial + ", expires "));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h->countLogs(RPORT_LOG_WARNING));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h->countLogs(RPORT_LOG_ERROR));
    }

    void servesRsaSelfSigned() {
        const Issued i = selfSigned("rsa.example.com", KeyType::Rsa2048);
        install(i);
        auto c = h->create("files");
        CPPUNIT_ASSERT_EQUAL(i.serial, Harness::servedSerial(*c));
    }

    void certificateAndKeyInOneFile() {
        const Issued i = ca->issue("both.example");
        writeInPlace(cert, i.chainPem + i.keyPem);
        h->host.settings["key_file"] = cert;
        auto c = h->create("files");
        std::optional<rport::sdk::CertBundle> b;
        CPPUNIT_ASSERT(c->current(b).ok());
        CPPUNIT_ASSERT_EQUAL(i.serial, firstSerial(b->chainPem));
        CPPUNIT_ASSERT_EQUAL(size_t(2), certificateCount(b->chainPem));
        CPPUNIT_ASSERT(b->chainPem.find("PRIVATE KEY") == std::string::npos);
    }

    void keyWithEcParametersFromTheOpensslCli() {
        // "openssl ecparam -genkey" writes an EC PARAMETERS block before the key.
        const std::string cmd = "openssl ecparam -name prime256v1 -genkey -out " + key +
                                " 2>/dev/null && openssl req -x509 -new -key " + key + " -subj /CN=cli.example -days 2 -out " +
                                cert + " 2>/dev/null";
        CPPUNIT_ASSERT_EQUAL(0, std::system(cmd.c_str()));
        CPPUNIT_ASSERT(rport::test::readFile(key).find("-----BEGIN EC PARAMETERS-----") == 0);
        auto c = h->create("files");
        std::optional<rport::sdk::CertBundle> b;
        CPPUNIT_ASSERT(c->current(b).ok());
        CPPUNIT_ASSERT(keyMatches(b->chainPem, b->keyPem));
    }

    void missingSettings() {
        install(ca->issue("a.example"));
        h->host.settings.erase("cert_file");
        CPPUNIT_ASSERT_EQUAL(std::string("missing setting 'cert_file'"), h->createError("files"));
        h->host.settings = {{"cert_file", cert}};
        CPPUNIT_ASSERT_EQUAL(std::string("missing setting 'key_file'"), h->createError("files"));
        h->host.settings = {{"cert_file", cert}, {"key_file", ""}};
        CPPUNIT_ASSERT_EQUAL(std::string("setting 'key_file' is empty"), h->createError("files"));
    }

    void unreadableFiles() {
        install(ca->issue("a.example"));
        h->host.settings["cert_file"] = dir->file("nope.crt");
        CPPUNIT_ASSERT_EQUAL("cannot read certificate file " + dir->file("nope.crt") + ": No such file or directory",
                             h->createError("files"));
        h->host.settings["cert_file"] = cert;
        h->host.settings["key_file"] = dir->file("nope.key");
        CPPUNIT_ASSERT_EQUAL("cannot read key file " + dir->file("nope.key") + ": No such file or directory",
                             h->createError("files"));
        h->host.settings["key_file"] = dir->path();
        CPPUNIT_ASSERT_EQUAL("cannot read key file " + dir->path() + ": Is a directory", h->createError("files"));
    }

    void notPem() {
        const Issued i = ca->issue("a.example");
        install(i);
        writeInPlace(cert, "this is not a certificate\n");
        CPPUNIT_ASSERT_EQUAL(cert + " holds no PEM certificate", h->createError("files"));
        writeInPlace(cert, "");
        CPPUNIT_ASSERT_EQUAL(cert + " holds no PEM certificate", h->createError("files"));
        writeInPlace(cert, i.chainPem);
        writeInPlace(key, i.certPem);  // a certificate where the key should be
        CPPUNIT_ASSERT_EQUAL(key + " holds no PEM private key", h->createError("files"));
    }

    void passwordProtectedKey() {
        const Issued i = ca->issue("a.example");
        install(i);
        writeInPlace(key, encryptedKey(i.keyPem, false));
        CPPUNIT_ASSERT_EQUAL(key + ": the key must not be password protected", h->createError("files"));
        writeInPlace(key, encryptedKey(i.keyPem, true));
        CPPUNIT_ASSERT_EQUAL(key + ": the key must not be password protected", h->createError("files"));
    }

    void keyOfAnotherCertificate() {
        const Issued i = ca->issue("a.example");
        install(i);
        writeInPlace(key, ca->issue("a.example").keyPem);
        CPPUNIT_ASSERT_EQUAL("the key in " + key + " does not match the certificate in " + cert,
                             h->createError("files"));
        // An RSA key with an ECDSA certificate.
        writeInPlace(key, selfSigned("b.example", KeyType::Rsa2048).keyPem);
        CPPUNIT_ASSERT_EQUAL("the key in " + key + " does not match the certificate in " + cert,
                             h->createError("files"));
    }

    void brokenSecondCertificate() {
        const Issued i = ca->issue("a.example");
        install(i);
        std::string broken = ca->certPem();
        broken.replace(100, 20, "!!!!!!!!!!!!!!!!!!!!");
        writeInPlace(cert, i.certPem + broken);
        const std::string error = h->createError("files");
        CPPUNIT_ASSERT_MESSAGE(error, error.rfind(cert + ": certificate 2 cannot be parsed", 0) == 0);
        // Cut off in the middle of the second certificate's first line.
        writeInPlace(cert, i.certPem + "-----BEGIN CERT");
        const std::string cut = h->createError("files");
        CPPUNIT_ASSERT_MESSAGE(cut, cut.rfind(cert + " ends in an incomplete PEM block", 0) == 0);
    }

    void keyPermissionWarnings() {
        install(ca->issue("a.example"));
        // Group-readable by a group nobody else is in (the test's own primary
        // group, as for a dedicated rport-tls group): the recommended setup.
        ::chown(key.c_str(), ::geteuid(), ::getegid());
        ::chmod(key.c_str(), 0640);
        { auto c = h->create("files"); }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0),
                                     h->countLogs(RPORT_LOG_WARNING, "key file " + key + " is readable by group "));

        ::chmod(key.c_str(), 0644);
        { auto c = h->create("files"); }
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h->countLogs(RPORT_LOG_WARNING, "key file " + key + " is readable by every user (mode 0644)"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_WARNING));

        ::chmod(key.c_str(), 0600);
        { auto c = h->create("files"); }
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_WARNING));
    }

    void replacedByRename() {
        install(ca->issue("a.example"));
        h->host.settings["check_interval_ms"] = "0";  // inotify alone
        auto c = h->create("files");
        CPPUNIT_ASSERT(h->host.timers().empty());
        const Issued next = ca->issue("a.example");
        replaceByRename(key, next.keyPem);
        replaceByRename(cert, next.chainPem);
        CPPUNIT_ASSERT(waitUntil([&] { return Harness::servedSerial(*c) == next.serial; }));
        CPPUNIT_ASSERT(waitUntil([&] { return h->host.certChangedCount() == 1; }));
        CPPUNIT_ASSERT(waitUntil([&] {
            return h->countLogs(RPORT_LOG_INFO, "certificate reloaded from " + cert + " (serial " + next.serial +
                                                    ", expires ") == 1;
        }));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0), h->countLogs(RPORT_LOG_ERROR));
    }

    void copiedOverInPlaceNeverServesAMismatch() {
        install(ca->issue("a.example"));
        auto c = h->create("files");
        std::atomic<bool> stop{false};
        std::atomic<int> mismatches{0}, reads{0};
        std::thread reader([&] {
            while (!stop) {
                std::optional<rport::sdk::CertBundle> b;
                if (c->current(b).ok() && b && !keyMatches(b->chainPem, b->keyPem)) ++mismatches;
                ++reads;
            }
        });
        for (int round = 0; round < 3; ++round) {
            const Issued next = ca->issue("a.example", round == 1 ? KeyType::Rsa2048 : KeyType::EcdsaP256);
            // Key first, then the certificate in two halves: a mismatched,
            // then a half-written pair sits on disk for a while.
            writeInPlace(key, next.keyPem);
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            const size_t half = next.chainPem.size() / 2;
            writeInPlace(cert, next.chainPem.substr(0, half), 0644);
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            writeInPlace(cert, next.chainPem, 0644);
            CPPUNIT_ASSERT(waitUntil([&] { return Harness::servedSerial(*c) == next.serial; }));
        }
        stop = true;
        reader.join();
        CPPUNIT_ASSERT(reads > 0);
        CPPUNIT_ASSERT_EQUAL(0, mismatches.load());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(0), h->countLogs(RPORT_LOG_ERROR));
        CPPUNIT_ASSERT_EQUAL(3, h->host.certChangedCount());
    }

    void mismatchIsRefusedOnceThenFixed() {
        const Issued first = ca->issue("a.example");
        install(first);
        auto c = h->create("files");
        const Issued other = ca->issue("a.example");
        replaceByRename(cert, other.chainPem);  // the key stays the old one
        const std::string expected = "certificate not reloaded: the key in " + key +
                                     " does not match the certificate in " + cert;
        CPPUNIT_ASSERT(waitUntil([&] { return h->countLogs(RPORT_LOG_ERROR) > 0; }, std::chrono::seconds(10)));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(1), h->countLogs(RPORT_LOG_ERROR, expected));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_ERROR, "still serving the previous certificate (serial " +
                                                                          first.serial));
        CPPUNIT_ASSERT_EQUAL(first.serial, Harness::servedSerial(*c));
        // Periodic checks and time do not repeat the message.
        for (int i = 0; i < 3; ++i) {
            h->host.fireTimers();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(h->allLogs(), size_t(1), h->countLogs(RPORT_LOG_ERROR));
        CPPUNIT_ASSERT_EQUAL(first.serial, Harness::servedSerial(*c));
        CPPUNIT_ASSERT_EQUAL(0, h->host.certChangedCount());

        replaceByRename(key, other.keyPem);
        CPPUNIT_ASSERT(waitUntil([&] { return Harness::servedSerial(*c) == other.serial; }));
        CPPUNIT_ASSERT_EQUAL(1, h->host.certChangedCount());
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->countLogs(RPORT_LOG_ERROR));
    }

    void periodicCheckWithoutInotify() {
        install(ca->issue("a.example"));
        h->host.settings["inotify"] = "false";
        auto c = h->create("files");
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->host.timers().size());
        CPPUNIT_ASSERT_EQUAL(uint64_t(2000), h->host.timers().begin()->second.periodMs);
        const Issued next = ca->issue("a.example");
        replaceByRename(key, next.keyPem);
        replaceByRename(cert, next.chainPem);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CPPUNIT_ASSERT(Harness::servedSerial(*c) != next.serial);  // nobody looked yet
        h->host.fireTimers();
        CPPUNIT_ASSERT(waitUntil([&] { return Harness::servedSerial(*c) == next.serial; }));
        CPPUNIT_ASSERT_EQUAL(1, h->host.certChangedCount());
    }

    void renewNowRereadsAtOnce() {
        install(ca->issue("a.example"));
        h->host.settings["inotify"] = "false";
        auto c = h->create("files");
        const Issued next = ca->issue("a.example");
        writeInPlace(key, next.keyPem);
        writeInPlace(cert, next.chainPem);
        CPPUNIT_ASSERT(c->renewNow().ok());
        CPPUNIT_ASSERT(waitUntil([&] { return Harness::servedSerial(*c) == next.serial; }, std::chrono::seconds(2)));
        CPPUNIT_ASSERT_EQUAL(1, h->host.certChangedCount());
        // Nothing changed: re-reading serves the same pair without a notice.
        CPPUNIT_ASSERT(c->renewNow().ok());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CPPUNIT_ASSERT_EQUAL(1, h->host.certChangedCount());
    }

    void destroyCancelsTimer() {
        install(ca->issue("a.example"));
        auto c = h->create("files");
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->host.timers().size());
        c.reset();
        CPPUNIT_ASSERT(h->host.timers().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FilesProviderTest);
