// Every way a plugin file can be refused: one error line naming the file and
// the reason, and the good plugins in the same directory still load.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include "LogCapture.h"
#include "PluginDir.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::LogCapture;
using rport::test::PluginDir;
using namespace rportd::plugin_host;

class PluginRegistryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginRegistryTest);
    CPPUNIT_TEST(testGoodPluginLoads);
    CPPUNIT_TEST(testNotASharedObject);
    CPPUNIT_TEST(testNoEntrySymbol);
    CPPUNIT_TEST(testAbiMajorInDescriptor);
    CPPUNIT_TEST(testAbiMajorInSymbolName);
    CPPUNIT_TEST(testMissingRequiredSlot);
    CPPUNIT_TEST(testDuplicateInsideOnePlugin);
    CPPUNIT_TEST(testDuplicateAcrossPlugins);
    CPPUNIT_TEST(testEntryReturnsUnsupported);
    CPPUNIT_TEST(testGroupWritableFile);
    CPPUNIT_TEST(testWorldWritableFile);
    CPPUNIT_TEST(testSubdirectoryNamedSo);
    CPPUNIT_TEST(testGroupWritableDirectory);
    CPPUNIT_TEST(testMissingDirectoryIsOnlyReported);
    CPPUNIT_TEST(testEveryFailureAtOnce);
    CPPUNIT_TEST(testOnlyVisibleSoFilesInByteOrder);
    CPPUNIT_TEST(testLoadingTwiceLoadsOnce);
    CPPUNIT_TEST(testLoadFile);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _services = std::make_unique<HostServices>(HostOptions{"/tmp", 4}); }
    void tearDown() override { _services.reset(); }

    void testGoodPluginLoads() {
        PluginDir dir;
        const std::string file = dir.add("good_c");
        LogCapture log;
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadDirectory(dir.path());
        CPPUNIT_ASSERT(report.failures.empty());
        CPPUNIT_ASSERT(report.loaded == std::vector<std::string>{file});
        CPPUNIT_ASSERT(log.errors().empty());
        CPPUNIT_ASSERT(log.contains("plugin " + file +
                                    " accepted: good-c 0.9.0 (ABI 1." +
                                    std::to_string(RPORT_ABI_MINOR) + "), client-auth/c-static, "
                                    "cert-provider/c-cert"));

        auto info = registry.find(RPORT_KIND_CLIENT_AUTH, "c-static");
        CPPUNIT_ASSERT(info);
        CPPUNIT_ASSERT_EQUAL(std::string("good-c"), info->pluginName());
        CPPUNIT_ASSERT_EQUAL(std::string("0.9.0"), info->pluginVersion());
        CPPUNIT_ASSERT_EQUAL(file, info->file());
        CPPUNIT_ASSERT(info->vtable != nullptr);
        CPPUNIT_ASSERT(!info->threadSafe());
        CPPUNIT_ASSERT(log.contains("plugin " + file + " loaded: good-c 0.9.0 (ABI 1." +
                                    std::to_string(RPORT_ABI_MINOR) + ")"));
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CERT_PROVIDER, "c-cert"));
        CPPUNIT_ASSERT(!registry.find(RPORT_KIND_API_AUTH, "c-static"));
        CPPUNIT_ASSERT(!registry.find(RPORT_KIND_CLIENT_AUTH, "nope"));

        auto plugins = registry.list();
        CPPUNIT_ASSERT_EQUAL(size_t(1), plugins.size());
        CPPUNIT_ASSERT_EQUAL(std::string("good-c"), plugins[0].name);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MINOR), plugins[0].abiMinor);  // built with this SDK
        CPPUNIT_ASSERT(plugins[0].backends ==
                       (std::vector<std::pair<std::string, std::string>>{
                           {"client-auth", "c-static"}, {"cert-provider", "c-cert"}}));
    }

    void testNotASharedObject() { expectRefused("not_elf", "not a shared object ("); }
    void testNoEntrySymbol() { expectRefused("no_entry", "no entry symbol rport_plugin_entry_v1"); }
    void testAbiMajorInDescriptor() {
        expectRefused("abi_major2", "built for ABI major 2, this rportd speaks 1");
    }
    void testAbiMajorInSymbolName() {
        expectRefused(
            "abi_v2_symbol",
            "built for ABI major 2 (exports rport_plugin_entry_v2), this rportd speaks 1");
    }
    void testMissingRequiredSlot() {
        expectRefused("missing_get", "backend client-auth/no-get lacks required slot get");
    }
    void testDuplicateInsideOnePlugin() {
        expectRefused("dup_self", "backend client-auth/same declared twice");
    }

    void testEntryReturnsUnsupported() {
        auto lines = expectRefused("entry_unsupported",
                                   "entry failed: unsupported (the plugin needs a newer rportd)");
        // What the plugin logged with a NULL ctx during entry is attributed to it.
        bool attributed = false;
        for (const auto& line : lines)
            if (line.source == "plugin.entry_unsupported" &&
                line.text == "this plugin needs host ABI 1.9" &&
                line.priority == Poco::Message::PRIO_WARNING)
                attributed = true;
        CPPUNIT_ASSERT(attributed);
    }

    void testDuplicateAcrossPlugins() {
        PluginDir dir;
        const std::string first = dir.add("dup_a");
        const std::string second = dir.add("dup_b");
        LogCapture log;
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadDirectory(dir.path());
        expectOneErrorLine(log, second, "backend client-auth/twin already provided by " + first);
        CPPUNIT_ASSERT(report.loaded == std::vector<std::string>{first});
        // The first one wins, and the later plugin is refused as a whole.
        CPPUNIT_ASSERT_EQUAL(std::string("dup-a"),
                             registry.find(RPORT_KIND_CLIENT_AUTH, "twin")->pluginName());
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_API_AUTH, "only-a"));
        CPPUNIT_ASSERT(!registry.find(RPORT_KIND_API_AUTH, "only-b"));
    }

    void testGroupWritableFile() {
        expectRefusedWithMode(0664, "writable by group or others (mode 0664)");
    }
    void testWorldWritableFile() {
        expectRefusedWithMode(0646, "writable by group or others (mode 0646)");
    }

    void testSubdirectoryNamedSo() {
        PluginDir dir;
        const std::string good = dir.add("good_c");
        ::mkdir((dir.path() + "/folder.so").c_str(), 0755);
        LogCapture log;
        PluginRegistry registry(*_services);
        registry.loadDirectory(dir.path());
        expectOneErrorLine(log, dir.path() + "/folder.so", "not a regular file");
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
    }

    void testGroupWritableDirectory() {
        PluginDir dir;
        dir.add("good_c");
        ::chmod(dir.path().c_str(), 0775);
        LogCapture log;
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadDirectory(dir.path());
        ::chmod(dir.path().c_str(), 0755);
        CPPUNIT_ASSERT(report.directoryRefused);
        CPPUNIT_ASSERT(report.loaded.empty());
        auto errors = log.errors();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log.dump(), size_t(1), errors.size());
        CPPUNIT_ASSERT_EQUAL(
            "plugin directory " + dir.path() + " refused: writable by group or others (mode 0775)",
            errors[0].text);
        CPPUNIT_ASSERT(!registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), registry.failures().size());
    }

    void testMissingDirectoryIsOnlyReported() {
        LogCapture log;
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadDirectory("/nonexistent/rportd/plugins");
        CPPUNIT_ASSERT(report.directoryMissing);
        CPPUNIT_ASSERT(!report.directoryRefused);
        CPPUNIT_ASSERT(report.failures.empty());
        CPPUNIT_ASSERT(log.errors().empty());
        CPPUNIT_ASSERT(registry.failures().empty());
    }

    void testEveryFailureAtOnce() {
        PluginDir dir;
        const std::vector<std::string> broken = {"not_elf",          "no_entry",    "abi_major2",
                                                 "abi_v2_symbol",    "missing_get", "dup_self",
                                                 "entry_unsupported"};
        std::vector<std::string> brokenFiles;
        for (const auto& fixture : broken) brokenFiles.push_back(dir.add(fixture));
        const std::string good = dir.add("good_c");
        const std::string memory = dir.add("memory");
        LogCapture log;
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadDirectory(dir.path());

        CPPUNIT_ASSERT_EQUAL_MESSAGE(log.dump(), broken.size(), log.errors().size());
        for (const auto& file : brokenFiles)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                file, size_t(1), log.errorsMentioning("plugin " + file + " refused: ").size());
        CPPUNIT_ASSERT_EQUAL(broken.size(), report.failures.size());
        CPPUNIT_ASSERT_EQUAL(size_t(2), report.loaded.size());
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "memory-verify"));
    }

    void testOnlyVisibleSoFilesInByteOrder() {
        PluginDir dir;
        const std::string good = rport::test::fixturePluginDir() + "/good_c/good_c.so";
        const std::string mem = rport::test::fixturePluginDir() + "/memory/memory.so";
        const std::string b = dir.addFile(good, "b.so");
        const std::string a = dir.addFile(mem, "A.so");  // 'A' < 'b' in byte order
        dir.addFile(good, ".hidden.so");
        dir.addFile(good, "libgood.so.1");
        dir.addFile(good, "notes.txt");
        LogCapture log;
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadDirectory(dir.path());
        CPPUNIT_ASSERT_MESSAGE(log.dump(), (report.loaded == std::vector<std::string>{a, b}));
        CPPUNIT_ASSERT(report.failures.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("memory"), registry.list().at(0).name);
    }

    void testLoadingTwiceLoadsOnce() {
        PluginDir dir;
        dir.add("good_c");
        LogCapture log;
        PluginRegistry registry(*_services);
        registry.loadDirectory(dir.path());
        LoadReport again = registry.loadDirectory(dir.path());
        CPPUNIT_ASSERT(again.loaded.empty());
        CPPUNIT_ASSERT(again.failures.empty());
        CPPUNIT_ASSERT(log.errors().empty());
        CPPUNIT_ASSERT_EQUAL(size_t(1), registry.list().size());
    }

    void testLoadFile() {
        PluginDir dir;
        const std::string file = dir.add("memory");
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadFile(file);
        CPPUNIT_ASSERT(report.loaded == std::vector<std::string>{file});
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_API_AUTH, "memory"));
        ::chmod(dir.path().c_str(), 0777);
        PluginRegistry other(*_services);
        LoadReport refused = other.loadFile(file);
        ::chmod(dir.path().c_str(), 0755);
        CPPUNIT_ASSERT(refused.directoryRefused);
        CPPUNIT_ASSERT(refused.loaded.empty());
    }

private:
    // A directory with the broken fixture next to a good plugin: exactly one
    // error line, naming the file and the reason; the good plugin still loads.
    std::vector<LogCapture::Line> expectRefused(const std::string& fixture,
                                                const std::string& reason) {
        PluginDir dir;
        const std::string file = dir.add(fixture);
        dir.add("good_c");
        LogCapture log;
        PluginRegistry registry(*_services);
        LoadReport report = registry.loadDirectory(dir.path());
        expectOneErrorLine(log, file, reason);
        CPPUNIT_ASSERT_EQUAL(size_t(1), report.failures.size());
        CPPUNIT_ASSERT_EQUAL(file, report.failures[0].file);
        CPPUNIT_ASSERT_EQUAL(size_t(1), registry.failures().size());
        CPPUNIT_ASSERT_MESSAGE("the good plugin must still load",
                               registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
        return log.lines();
    }

    void expectRefusedWithMode(int mode, const std::string& reason) {
        PluginDir dir;
        const std::string file = dir.add("memory");
        ::chmod(file.c_str(), static_cast<mode_t>(mode));
        dir.add("good_c");
        LogCapture log;
        PluginRegistry registry(*_services);
        registry.loadDirectory(dir.path());
        expectOneErrorLine(log, file, reason);
        CPPUNIT_ASSERT(!registry.find(RPORT_KIND_CLIENT_AUTH, "memory"));
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
    }

    static void expectOneErrorLine(const LogCapture& log, const std::string& file,
                                   const std::string& reason) {
        auto errors = log.errors();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log.dump(), size_t(1), errors.size());
        const std::string expectedStart = "plugin " + file + " refused: " + reason;
        CPPUNIT_ASSERT_MESSAGE(errors[0].text, errors[0].text.rfind(expectedStart, 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("plugins"), errors[0].source);
    }

    std::unique_ptr<HostServices> _services;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginRegistryTest);
