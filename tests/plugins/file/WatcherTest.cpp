// Edits made to the file while rportd runs are picked up, completely or not at all.
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;
using Clock = std::chrono::steady_clock;

class WatcherTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WatcherTest);
    CPPUNIT_TEST(picksUpAReplacementByRename);
    CPPUNIT_TEST(picksUpAnEditInPlace);
    CPPUNIT_TEST(brokenEditKeepsTheLastGoodSetUntilFixed);
    CPPUNIT_TEST(deletedFileKeepsTheLastGoodSetUntilRestored);
    CPPUNIT_TEST(periodicCheckWorksWithoutInotify);
    CPPUNIT_TEST(periodicCheckReportsABrokenFileOnce);
    CPPUNIT_TEST(ownWritesAreNotReloaded);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;
    // inotify alone, so a pass proves the watcher rather than the safety net.
    const Settings inotifyOnly{{"check_interval_ms", "0"}};

    static void reportLatency(const char* what, Clock::time_point since) {
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - since).count();
        std::cout << "\n  [" << what << " picked up after " << us / 1000.0 << " ms]" << std::flush;
    }

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(); }
    void tearDown() override { h.reset(); }

    void picksUpAReplacementByRename() {
        h->writeInPlace(R"({"old": "1"})");
        auto store = h->open(inotifyOnly);
        const auto start = Clock::now();
        h->replaceByRename(R"({"new": "2", "other": "3"})");
        CPPUNIT_ASSERT(waitUntil([&] { return secretOf(*store, "new") == "2"; }));
        reportLatency("rename", start);
        CPPUNIT_ASSERT_EQUAL(std::string(), secretOf(*store, "old"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), FilePluginHarness::listAll(*store).size());
        CPPUNIT_ASSERT(waitUntil(
            [&] { return h->logCount(RPORT_LOG_INFO, "reloaded, 2 client credentials") == 1; }));
    }

    void picksUpAnEditInPlace() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(inotifyOnly);
        const auto start = Clock::now();
        h->writeInPlace(R"({"a": "2"})");  // same size, same inode
        CPPUNIT_ASSERT(waitUntil([&] { return secretOf(*store, "a") == "2"; }));
        reportLatency("in-place edit", start);
    }

    void brokenEditKeepsTheLastGoodSetUntilFixed() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(inotifyOnly);
        h->replaceByRename(R"({"a": "1", "b": )");
        CPPUNIT_ASSERT(waitUntil(
            [&] { return h->logCount(RPORT_LOG_ERROR, "not reloaded: invalid JSON") == 1; }));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1), h->logCount(RPORT_LOG_ERROR, "client auth file \"" + h->path() + "\""));
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            h->logCount(RPORT_LOG_ERROR, "keeping the 1 client credential loaded before"));
        CPPUNIT_ASSERT((Credentials{{"a", "1"}}) == FilePluginHarness::listAll(*store));

        h->writeInPlace(R"({"a": "1", "b": 2})");  // valid JSON, wrong type: still refused
        CPPUNIT_ASSERT(waitUntil(
            [&] { return h->logCount(RPORT_LOG_ERROR, "entry \"b\": the password") == 1; }));
        CPPUNIT_ASSERT((Credentials{{"a", "1"}}) == FilePluginHarness::listAll(*store));

        h->writeInPlace(R"({"a": "1", "b": "2"})");
        CPPUNIT_ASSERT(waitUntil([&] { return secretOf(*store, "b") == "2"; }));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), secretOf(*store, "a"));
    }

    void deletedFileKeepsTheLastGoodSetUntilRestored() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open(inotifyOnly);
        CPPUNIT_ASSERT_EQUAL(0, ::unlink(h->path().c_str()));
        CPPUNIT_ASSERT(waitUntil(
            [&] { return h->logCount(RPORT_LOG_ERROR, "cannot reload: No such file") == 1; }));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), secretOf(*store, "a"));
        h->replaceByRename(R"({"a": "restored"})");
        CPPUNIT_ASSERT(waitUntil([&] { return secretOf(*store, "a") == "restored"; }));
    }

    void periodicCheckWorksWithoutInotify() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open({{"inotify", "false"}, {"check_interval_ms", "100"}});
        const auto start = Clock::now();
        h->replaceByRename(R"({"a": "2"})");
        CPPUNIT_ASSERT(waitUntil([&] { return secretOf(*store, "a") == "2"; }));
        reportLatency("periodic check (100 ms)", start);
        h->writeInPlace(R"({"a": "3", "b": "4"})");
        CPPUNIT_ASSERT(waitUntil([&] { return secretOf(*store, "b") == "4"; }));
    }

    void periodicCheckReportsABrokenFileOnce() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open({{"inotify", "false"}, {"check_interval_ms", "20"}});
        h->replaceByRename("not json");
        CPPUNIT_ASSERT(
            waitUntil([&] { return h->logCount(RPORT_LOG_ERROR, "not reloaded") == 1; }));
        // Dozens of checks run meanwhile; the same broken version is not reported again.
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->logCount(RPORT_LOG_ERROR, "not reloaded"));
        // Undoing the edit is noticed and reported as a recovery, without a reload.
        h->replaceByRename(R"({"a": "1"})");
        CPPUNIT_ASSERT(waitUntil(
            [&] { return h->logCount(RPORT_LOG_INFO, "is valid again and unchanged") == 1; }));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h->logCount(RPORT_LOG_INFO, "reloaded"));
    }

    // The store's own rename triggers inotify events like anyone else's; they
    // must not count as changes. An external edit afterwards acts as a marker:
    // events arrive in order, so once it is loaded the earlier events are done.
    void ownWritesAreNotReloaded() {
        h->writeInPlace(R"({"a": "1"})");
        auto store = h->open();
        for (int i = 0; i < 5; ++i)
            CPPUNIT_ASSERT(store->add(record("id" + std::to_string(i), "pw")).ok());
        h->replaceByRename(R"({"marker": "m"})");
        CPPUNIT_ASSERT(waitUntil([&] { return secretOf(*store, "marker") == "m"; }));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->logCount(RPORT_LOG_INFO, "reloaded"));
        CPPUNIT_ASSERT_EQUAL(size_t(0), h->logCount(RPORT_LOG_ERROR, ""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WatcherTest);
