// rport::sdk::Host, the plugin's view of the host services, over the FakeHost.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/plugin.hpp>
#include <rport/testing.hpp>

using rport::sdk::Error;
using rport::sdk::Host;
using rport::sdk::testing::FakeHost;

class HostFacadeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostFacadeTest);
    CPPUNIT_TEST(testSettings);
    CPPUNIT_TEST(testFlags);
    CPPUNIT_TEST(testDataDirAndKind);
    CPPUNIT_TEST(testLogLevels);
    CPPUNIT_TEST(testPasswords);
    CPPUNIT_TEST(testHttp01);
    CPPUNIT_TEST(testTimers);
    CPPUNIT_TEST(testCertChanged);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _fake = std::make_unique<FakeHost>();
        _host = std::make_unique<Host>(_fake->api(), _fake->ctx());
    }
    void tearDown() override {
        _host.reset();
        _fake.reset();
    }

    void testSettings() {
        _fake->settings = {{"path", "/etc/x.json"}, {"empty", ""}};
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/x.json"), _host->setting("path").value_or("?"));
        CPPUNIT_ASSERT_EQUAL(std::string(), _host->setting("empty").value_or("?"));
        CPPUNIT_ASSERT(!_host->setting("nope"));
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/x.json"), _host->requireSetting("path"));
        try {
            _host->requireSetting("nope");
            CPPUNIT_FAIL("expected an error");
        } catch (const Error& e) {
            CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, e.code());
            CPPUNIT_ASSERT_EQUAL(std::string("missing setting 'nope'"), std::string(e.what()));
        }
        CPPUNIT_ASSERT((_host->settingKeys() == std::vector<std::string>{"empty", "path"}));
    }

    void testFlags() {
        _fake->settings = {
            {"t", "true"}, {"one", "1"}, {"f", "false"}, {"zero", "0"}, {"bad", "yes"}};
        CPPUNIT_ASSERT(_host->flag("t", false));
        CPPUNIT_ASSERT(_host->flag("one", false));
        CPPUNIT_ASSERT(!_host->flag("f", true));
        CPPUNIT_ASSERT(!_host->flag("zero", true));
        CPPUNIT_ASSERT(_host->flag("absent", true));
        CPPUNIT_ASSERT(!_host->flag("absent", false));
        CPPUNIT_ASSERT_THROW(_host->flag("bad", false), Error);
    }

    void testDataDirAndKind() {
        _fake->dataDir = "/var/lib/rportd";
        _fake->kind = RPORT_KIND_API_AUTH;
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rportd"), _host->dataDir());
        CPPUNIT_ASSERT_EQUAL(std::string("api-auth"), _host->kind());
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MINOR), _host->abiMinor());
    }

    void testLogLevels() {
        _host->error("e");
        _host->warning("w");
        _host->info("i");
        _host->debug("d");
        auto logs = _fake->logs();
        CPPUNIT_ASSERT_EQUAL(size_t(4), logs.size());
        CPPUNIT_ASSERT_EQUAL(RPORT_LOG_ERROR, logs[0].level);
        CPPUNIT_ASSERT_EQUAL(RPORT_LOG_WARNING, logs[1].level);
        CPPUNIT_ASSERT_EQUAL(RPORT_LOG_INFO, logs[2].level);
        CPPUNIT_ASSERT_EQUAL(RPORT_LOG_DEBUG, logs[3].level);
        CPPUNIT_ASSERT(_fake->logged("w"));
    }

    void testPasswords() {
        const std::string hash = _host->hashPassword("correct horse");
        CPPUNIT_ASSERT_EQUAL(std::string("$2b$04$"), hash.substr(0, 7));
        CPPUNIT_ASSERT(_host->verifyPassword(hash, "correct horse"));
        CPPUNIT_ASSERT(!_host->verifyPassword(hash, "correct horse battery"));
        CPPUNIT_ASSERT_THROW(_host->verifyPassword("plaintext", "plaintext"), Error);
        CPPUNIT_ASSERT(_host->secretEqual("a", "a"));
        CPPUNIT_ASSERT(!_host->secretEqual("a", "b"));
    }

    void testHttp01() {
        _host->publishHttp01("tok", "tok.thumb");
        CPPUNIT_ASSERT_EQUAL(std::string("tok.thumb"), _fake->http01Tokens().at("tok"));
        _host->withdrawHttp01("tok");
        CPPUNIT_ASSERT(_fake->http01Tokens().empty());
    }

    void testTimers() {
        int fired = 0;
        const uint64_t once = _host->startTimer(
            10, 0, [](void* arg) { ++*static_cast<int*>(arg); }, &fired);
        const uint64_t every = _host->startTimer(
            10, 10, [](void* arg) { ++*static_cast<int*>(arg); }, &fired);
        CPPUNIT_ASSERT(once != every);
        CPPUNIT_ASSERT_EQUAL(size_t(2), _fake->fireTimers());
        CPPUNIT_ASSERT_EQUAL(size_t(1), _fake->fireTimers());  // the one-shot is gone
        _host->cancelTimer(every);
        CPPUNIT_ASSERT_EQUAL(size_t(0), _fake->fireTimers());
        CPPUNIT_ASSERT_EQUAL(3, fired);
    }

    void testCertChanged() {
        _host->certChanged();
        _host->certChanged();
        CPPUNIT_ASSERT_EQUAL(2, _fake->certChangedCount());
    }

private:
    std::unique_ptr<FakeHost> _fake;
    std::unique_ptr<Host> _host;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostFacadeTest);
