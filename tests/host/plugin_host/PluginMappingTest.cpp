// Plugins are examined in a child process and mapped into rportd only when a
// role selects one of their backends; what happens to the ones that misbehave
// while being examined, and to one replaced after its examination.
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "LogCapture.h"
#include "PluginDir.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::LogCapture;
using rport::test::PluginDir;
using namespace rportd::plugin_host;

namespace {
// Whether a file is mapped into this process.
bool mapped(const std::string& file) {
    std::ifstream maps("/proc/self/maps");
    std::stringstream s;
    s << maps.rdbuf();
    return s.str().find(file) != std::string::npos;
}

std::string refusalOf(const PluginRegistry& registry, const std::string& file) {
    for (const LoadFailure& f : registry.failures())
        if (f.file == file) return f.reason;
    return "(not refused)";
}
}  // namespace

class PluginMappingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginMappingTest);
    CPPUNIT_TEST(unselectedPluginsAreNeverMapped);
    CPPUNIT_TEST(misbehavingEntriesCostOnlyTheirFile);
    CPPUNIT_TEST(floodingEntryIsCutShort);
    CPPUNIT_TEST(fileReplacedAfterExaminationIsRefused);
    CPPUNIT_TEST(symlinkedPluginIsRefused);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<HostServices> services;

public:
    void setUp() override { services = std::make_unique<HostServices>(HostOptions{"/tmp", 4}); }
    void tearDown() override { services.reset(); }

    void unselectedPluginsAreNeverMapped() {
        PluginDir dir;
        const std::string good = dir.add("good_c");
        const std::string memory = dir.add("memory");
        PluginRegistry registry(*services);
        LoadReport report = registry.loadDirectory(dir.path());
        CPPUNIT_ASSERT_EQUAL(size_t(2), report.loaded.size());
        CPPUNIT_ASSERT_EQUAL(size_t(2), registry.list().size());
        CPPUNIT_ASSERT(!mapped(good));
        CPPUNIT_ASSERT(!mapped(memory));
        // Every backend is known by name before anything is mapped.
        CPPUNIT_ASSERT(registry.names(RPORT_KIND_CLIENT_AUTH) ==
                       (std::vector<std::string>{"c-static", "memory", "memory-verify"}));

        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
        CPPUNIT_ASSERT(mapped(good));
        CPPUNIT_ASSERT(!mapped(memory));
        // The plugin's other backends come with it, without a second mapping.
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CERT_PROVIDER, "c-cert"));
    }

    void misbehavingEntriesCostOnlyTheirFile() {
        PluginDir dir;
        const std::string crashes = dir.add("entry_crashes");
        const std::string exits = dir.add("entry_exits");
        const std::string hangs = dir.add("entry_hangs");
        const std::string good = dir.add("good_c");
        LogCapture log;
        PluginRegistry registry(*services, ProbeLimits{std::chrono::milliseconds(500)});
        LoadReport report = registry.loadDirectory(dir.path());

        CPPUNIT_ASSERT_EQUAL(std::string("crashed while being examined (signal 11, SIGSEGV)"),
                             refusalOf(registry, crashes));
        CPPUNIT_ASSERT_EQUAL(std::string("ended the process while being examined (exit status 3)"),
                             refusalOf(registry, exits));
        CPPUNIT_ASSERT_EQUAL(
            std::string("did not finish loading within 500 ms (its entry function hangs?)"),
            refusalOf(registry, hangs));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log.dump(), size_t(3), log.errors().size());
        // The good plugin, examined after all of them, is unaffected.
        CPPUNIT_ASSERT(report.loaded == std::vector<std::string>{good});
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
        CPPUNIT_ASSERT(!mapped(crashes));
    }

    void floodingEntryIsCutShort() {
        PluginDir dir;
        const std::string floods = dir.add("entry_floods");
        LogCapture log;
        PluginRegistry registry(*services);
        registry.loadDirectory(dir.path());
        size_t lines = 0;
        for (const auto& line : log.lines())
            if (line.source == "plugin.entry_floods") ++lines;
        CPPUNIT_ASSERT_EQUAL(size_t(64), lines);
        CPPUNIT_ASSERT(log.contains("line 0"));
        CPPUNIT_ASSERT(!log.contains("line 64"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("entry failed: unsupported (the plugin needs a newer rportd)"),
            refusalOf(registry, floods));
    }

    void fileReplacedAfterExaminationIsRefused() {
        PluginDir dir;
        const std::string file =
            dir.addFile(rport::test::fixturePluginDir() + "/good_c/good_c.so", "x.so");
        LogCapture log;
        PluginRegistry registry(*services);
        registry.loadDirectory(dir.path());
        CPPUNIT_ASSERT_EQUAL(size_t(1), registry.list().size());

        const std::string swap =
            dir.addFile(rport::test::fixturePluginDir() + "/memory/memory.so", "swap");
        CPPUNIT_ASSERT_EQUAL(0, std::rename(swap.c_str(), file.c_str()));
        CPPUNIT_ASSERT(!registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
        const std::string reason = refusalOf(registry, file);
        CPPUNIT_ASSERT_MESSAGE(reason,
                               reason.rfind("changed since it was examined (now memory ", 0) == 0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            log.dump(), size_t(1),
            log.errorsMentioning("plugin " + file + " refused: changed").size());
        // Forgotten: no longer offered, not retried.
        CPPUNIT_ASSERT(registry.list().empty());
        CPPUNIT_ASSERT(registry.names(RPORT_KIND_CLIENT_AUTH).empty());
    }

    void symlinkedPluginIsRefused() {
        PluginDir dir;
        const std::string target = rport::test::fixturePluginDir() + "/good_c/good_c.so";
        const std::string link = dir.path() + "/linked.so";
        CPPUNIT_ASSERT_EQUAL(0, ::symlink(target.c_str(), link.c_str()));
        LogCapture log;
        PluginRegistry registry(*services);
        LoadReport report = registry.loadDirectory(dir.path());
        CPPUNIT_ASSERT(report.loaded.empty());
        CPPUNIT_ASSERT_EQUAL(
            std::string("is a symbolic link (plugins are loaded only from the file itself)"),
            refusalOf(registry, link));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginMappingTest);
