// A plain-C plugin built against the frozen v1.1 header (v1_1_plugin/), loaded
// through the real registry into a host that offers ABI 1.1 and into one that
// offers only 1.0 (HostOptions::offeredAbiMinor = 0). In the first it uses the
// 1.1 services and the host sees them work; in the second it finds them
// absent (RPORT_HAS false), falls back to 1.0 services, and still works.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <functional>
#include <mutex>
#include <thread>

#include "LogCapture.h"
#include "PluginDir.h"
#include "TempDir.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/CertBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::LogCapture;
using rport::test::PluginDir;
using rport::test::TempDir;
using namespace rportd::plugin_host;

namespace {

const std::string kChain = "-----BEGIN CERTIFICATE-----\nprobe\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN PRIVATE KEY-----\nprobe\n-----END PRIVATE KEY-----\n";
// Past what a uint32_t of milliseconds can say: 2^33 ms, about 99 days.
const uint64_t kLongDelayMs = uint64_t(1) << 33;

// One rportd's plugin side, offering the given ABI minor.
struct Host {
    Host(uint32_t offeredAbiMinor, const std::string& dataDir)
        : services(HostOptions{dataDir, 4, offeredAbiMinor}), registry(services) {}
    HostServices services;
    PluginRegistry registry;
};

Settings probeSettings(uint64_t renewInMs) {
    return {{"chain", kChain},
            {"key", kKey},
            {"name", "Probe.Example.com"},
            {"renew_in_ms", std::to_string(renewInMs)}};
}

// What the TLS layer would hear from the challenge registry.
struct ChallengeEvents {
    std::mutex mutex;
    std::vector<std::pair<std::string, bool>> events;  // name, published (false: withdrawn)

    void listenTo(TlsAlpn01Challenges& challenges) {
        challenges.setListener([this](const std::string& name, const std::string* cert,
                                      const rport::sdk::SecretString*) {
            std::lock_guard<std::mutex> lock(mutex);
            events.emplace_back(name, cert != nullptr);
            return true;
        });
    }
    std::vector<std::pair<std::string, bool>> seen() {
        std::lock_guard<std::mutex> lock(mutex);
        return events;
    }
};

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 600; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

mode_t modeOf(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return 0;
    return st.st_mode;
}

using Event = std::pair<std::string, bool>;

}  // namespace

class V1_1PluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(V1_1PluginTest);
    CPPUNIT_TEST(testLoadsAndWorksInA1_1Host);
    CPPUNIT_TEST(testLoadsAndWorksInA1_0Host);
    CPPUNIT_TEST(testProviderUsesTheNewServices);
    CPPUNIT_TEST(testTimerStart64Fires);
    CPPUNIT_TEST(testChallengeGoesWithTheInstance);
    CPPUNIT_TEST(testWithoutTlsListenerFallsBackToHttp01);
    CPPUNIT_TEST(testProviderInA1_0HostFindsTheNewServicesAbsent);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _file = _dir.addFile(RPORT_V1_1_PLUGIN, "services_probe.so"); }

    void testLoadsAndWorksInA1_1Host() { assertPlainStoreWorks(1); }
    void testLoadsAndWorksInA1_0Host() { assertPlainStoreWorks(0); }

    void testProviderUsesTheNewServices() {
        auto host = load(1);
        ChallengeEvents challenges;
        challenges.listenTo(host->services.tlsAlpn01Challenges());
        LogCapture log;
        CertBackend provider(host->registry, "v11-probe", probeSettings(kLongDelayMs));
        CPPUNIT_ASSERT_MESSAGE(log.dump(), log.contains("v11-probe: host offers ABI 1.1"));

        // state_dir: <data_dir>/<backend name>, made 0700, and the plugin's file in it.
        const std::string stateDir = _data.file("v11-probe");
        CPPUNIT_ASSERT(S_ISDIR(modeOf(stateDir)));
        CPPUNIT_ASSERT_EQUAL(0700u, unsigned(modeOf(stateDir) & 07777));
        CPPUNIT_ASSERT_EQUAL(std::string("written by v11-probe\n"),
                             rport::test::readFile(stateDir + "/probe-state"));

        // status_report: what /status will show.
        const std::vector<rport::sdk::ProviderStatus> statuses = provider.providerStatuses();
        CPPUNIT_ASSERT_EQUAL(size_t(1), statuses.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Probe.Example.com"), statuses[0].name);
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), statuses[0].state);
        CPPUNIT_ASSERT_EQUAL("files in " + stateDir, statuses[0].detail);
        CPPUNIT_ASSERT_EQUAL(int64_t(4102444800), statuses[0].notAfter);
        const int64_t inDays = (statuses[0].nextAttempt - int64_t(std::time(nullptr))) / 86400;
        CPPUNIT_ASSERT(inDays >= 98 && inDays <= 99);

        // tls_alpn01_publish: the TLS layer heard of it and finds it by any case.
        CPPUNIT_ASSERT(log.contains("tls-alpn-01 challenge published for Probe.Example.com"));
        auto pair = host->services.tlsAlpn01Challenges().find("probe.example.COM");
        CPPUNIT_ASSERT(pair && pair->first == kChain && pair->second == kKey);
        CPPUNIT_ASSERT(challenges.seen() == (std::vector<Event>{{"probe.example.com", true}}));
        CPPUNIT_ASSERT(!host->services.http01Tokens().find("probe-token"));

        // timer_start64: a delay a 1.0 timer cannot hold, pending.
        CPPUNIT_ASSERT(log.contains("renewal timer: 8589934592 ms via timer_start64"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), host->services.timers().pending());

        // renew_now withdraws the challenge and reports again under the same name.
        CPPUNIT_ASSERT(provider.renewNow().ok());
        CPPUNIT_ASSERT(!host->services.tlsAlpn01Challenges().find("probe.example.com"));
        CPPUNIT_ASSERT(challenges.seen() == (std::vector<Event>{{"probe.example.com", true},
                                                                {"probe.example.com", false}}));
        CPPUNIT_ASSERT_EQUAL(size_t(1), provider.providerStatuses().size());
        CPPUNIT_ASSERT_EQUAL(std::string("renewing"), provider.providerStatuses()[0].state);

        std::optional<rport::sdk::CertBundle> bundle;
        CPPUNIT_ASSERT(provider.current(bundle).ok());
        CPPUNIT_ASSERT_EQUAL(kChain, bundle->chainPem);
    }

    void testTimerStart64Fires() {
        auto host = load(1);
        CertBackend provider(host->registry, "v11-probe", probeSettings(5));
        // The callback reports "renewing" from the timer thread.
        CPPUNIT_ASSERT(eventually([&] {
            return provider.providerStatuses().at(0).state == "renewing";
        }));
        CPPUNIT_ASSERT(eventually([&] { return host->services.timers().pending() == 0; }));
    }

    void testChallengeGoesWithTheInstance() {
        auto host = load(1);
        ChallengeEvents challenges;
        challenges.listenTo(host->services.tlsAlpn01Challenges());
        {
            CertBackend provider(host->registry, "v11-probe", probeSettings(kLongDelayMs));
            CPPUNIT_ASSERT_EQUAL(size_t(1), host->services.tlsAlpn01Challenges().size());
        }
        // The plugin never withdrew it: the host did, before destroy.
        CPPUNIT_ASSERT_EQUAL(size_t(0), host->services.tlsAlpn01Challenges().size());
        CPPUNIT_ASSERT(challenges.seen() == (std::vector<Event>{{"probe.example.com", true},
                                                                {"probe.example.com", false}}));
        CPPUNIT_ASSERT_EQUAL(size_t(0), host->services.timers().pending());
    }

    void testWithoutTlsListenerFallsBackToHttp01() {
        auto host = load(1);
        LogCapture log;
        CertBackend provider(host->registry, "v11-probe", probeSettings(kLongDelayMs));
        CPPUNIT_ASSERT_MESSAGE(
            log.dump(),
            log.contains("tls-alpn-01 unsupported by this host's listeners: using http-01"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), host->services.tlsAlpn01Challenges().size());
        CPPUNIT_ASSERT_EQUAL(std::string("probe-token.thumbprint"),
                             host->services.http01Tokens().find("probe-token").value_or(""));
    }

    void testProviderInA1_0HostFindsTheNewServicesAbsent() {
        auto host = load(0);
        // A TLS listener is there; the 1.0 table just has no slot to reach it.
        ChallengeEvents challenges;
        challenges.listenTo(host->services.tlsAlpn01Challenges());
        LogCapture log;
        CertBackend provider(host->registry, "v11-probe", probeSettings(kLongDelayMs));
        CPPUNIT_ASSERT_MESSAGE(log.dump(), log.contains("v11-probe: host offers ABI 1.0"));

        // No state_dir: its files went to data_dir, and no directory was made.
        CPPUNIT_ASSERT(log.contains("no state_dir on this host: files go to data_dir"));
        CPPUNIT_ASSERT_EQUAL(std::string("written by v11-probe\n"),
                             rport::test::readFile(_data.file("probe-state")));
        CPPUNIT_ASSERT_EQUAL(mode_t(0), modeOf(_data.file("v11-probe")));

        // No tls_alpn01: HTTP-01 instead.
        CPPUNIT_ASSERT(log.contains("tls-alpn-01 not offered by this host: using http-01"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), host->services.tlsAlpn01Challenges().size());
        CPPUNIT_ASSERT(challenges.seen().empty());
        CPPUNIT_ASSERT(host->services.http01Tokens().find("probe-token"));

        // No timer_start64: the longest 32-bit timer instead.
        CPPUNIT_ASSERT(log.contains("renewal timer: 4294967295 ms via timer_start"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), host->services.timers().pending());

        // No status_report: the status went to the log, /status has nothing.
        CPPUNIT_ASSERT(log.contains("status valid: files in " + _data.path() +
                                    " (no status_report on this host)"));
        CPPUNIT_ASSERT(provider.providerStatuses().empty());

        std::optional<rport::sdk::CertBundle> bundle;
        CPPUNIT_ASSERT(provider.current(bundle).ok());
        CPPUNIT_ASSERT_EQUAL(kKey, std::string(bundle->keyPem.view()));
    }

private:
    std::unique_ptr<Host> load(uint32_t offeredAbiMinor) {
        auto host = std::make_unique<Host>(offeredAbiMinor, _data.path());
        LogCapture log;
        LoadReport report = host->registry.loadDirectory(_dir.path());
        CPPUNIT_ASSERT_MESSAGE(log.dump(), report.failures.empty());
        CPPUNIT_ASSERT(report.loaded == std::vector<std::string>{_file});
        return host;
    }

    void assertPlainStoreWorks(uint32_t offeredAbiMinor) {
        auto host = load(offeredAbiMinor);
        CPPUNIT_ASSERT_EQUAL(offeredAbiMinor, host->services.table()->abi_minor);
        const std::vector<PluginInfo> plugins = host->registry.list();
        CPPUNIT_ASSERT_EQUAL(std::string("services-probe"), plugins.at(0).name);
        CPPUNIT_ASSERT_EQUAL(uint32_t(1), plugins.at(0).abiMinor);

        AuthBackend store(host->registry, RPORT_KIND_CLIENT_AUTH, "v11-plain",
                          {{"alice", "wonderland"}});
        std::optional<rport::sdk::AuthRecord> record;
        CPPUNIT_ASSERT(store.get("alice", record).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("wonderland"), record->secret);
        CPPUNIT_ASSERT(store.verifySecret("alice", "wonderland") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("alice", "rabbit") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, store.get("bob", record).code);
    }

    PluginDir _dir;
    TempDir _data;
    std::string _file;
};

CPPUNIT_TEST_SUITE_REGISTRATION(V1_1PluginTest);
