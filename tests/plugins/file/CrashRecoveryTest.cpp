// Killing a writer at any moment leaves a complete, parseable file that holds
// every change the writer had acknowledged.
#include <cppunit/extensions/HelperMacros.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "FilePluginHarness.h"

extern char** environ;

using namespace rport::test::file_plugin;

namespace {

// One run of file_store_crash_writer with its stdout on a pipe.
class WriterProcess {
public:
    WriterProcess(const std::string& credentials, const std::string& prefix) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        posix_spawn_file_actions_addclose(&actions, fds[1]);
        std::string program = CRASH_WRITER_PATH, plugin = FILE_PLUGIN_PATH;
        std::string file = credentials, idPrefix = prefix;
        char* argv[] = {program.data(), plugin.data(), file.data(), idPrefix.data(), nullptr};
        const int rc = ::posix_spawn(&_pid, program.c_str(), &actions, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        _out = fds[0];
        if (rc != 0) throw std::runtime_error("cannot start " + program);
    }
    ~WriterProcess() {
        if (_pid > 0) killAndReap();
        ::close(_out);
    }

    // Reads what is available, waiting at most timeoutMs; false at end of output.
    bool readSome(int timeoutMs) {
        pollfd p{_out, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0) return true;
        char buffer[4096];
        const ssize_t n = ::read(_out, buffer, sizeof buffer);
        if (n <= 0) return false;
        _output.append(buffer, static_cast<size_t>(n));
        return true;
    }
    bool hasCompleteLine() const { return _output.find('\n') != std::string::npos; }

    void killAndReap() {
        ::kill(_pid, SIGKILL);
        int status = 0;
        ::waitpid(_pid, &status, 0);
        _pid = -1;
        while (readSome(1000)) {
        }  // lines written before the kill are still in the pipe
    }

    // Ids on complete lines: those were acknowledged before being printed.
    std::vector<std::string> acknowledged() const {
        std::vector<std::string> ids;
        size_t start = 0;
        for (size_t end; (end = _output.find('\n', start)) != std::string::npos; start = end + 1)
            ids.push_back(_output.substr(start, end - start));
        return ids;
    }

private:
    pid_t _pid = -1;
    int _out = -1;
    std::string _output;
};

}  // namespace

class CrashRecoveryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CrashRecoveryTest);
    CPPUNIT_TEST(killedWriterNeverLosesAcknowledgedEntries);
    CPPUNIT_TEST_SUITE_END();

public:
    void killedWriterNeverLosesAcknowledgedEntries() {
        FilePluginHarness h;
        h.writeInPlace("{}");
        std::mt19937 rng(std::random_device{}());
        std::uniform_int_distribution<int> delayMs(5, 50);
        std::set<std::string> acknowledged;
        // Adds that reached the disk but were killed before being printed.
        std::set<std::string> unacknowledgedButWritten;
        constexpr int kRounds = 20;
        int roundsKilledMidWrite = 0;

        for (int round = 0; round < kRounds; ++round) {
            const std::string prefix = "r" + std::to_string(round);
            WriterProcess writer(h.path(), prefix);
            // Start the clock once the writer is adding, so the kill lands amid writes.
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (!writer.hasCompleteLine() && std::chrono::steady_clock::now() < deadline)
                CPPUNIT_ASSERT_MESSAGE("writer ended early", writer.readSome(100));
            CPPUNIT_ASSERT_MESSAGE("writer acknowledged nothing", writer.hasCompleteLine());
            const auto killAt =
                std::chrono::steady_clock::now() + std::chrono::milliseconds(delayMs(rng));
            while (std::chrono::steady_clock::now() < killAt)
                writer.readSome(
                    static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         killAt - std::chrono::steady_clock::now())
                                         .count()));
            writer.killAndReap();

            const auto ids = writer.acknowledged();
            acknowledged.insert(ids.begin(), ids.end());
            // The file must parse and hold everything acknowledged so far, in
            // every round; beyond that at most the one add in flight at the kill.
            Credentials onDisk;
            try {
                onDisk = h.parseFile();
            } catch (const std::exception& e) {
                CPPUNIT_FAIL("round " + std::to_string(round) +
                             ": the file does not parse: " + e.what());
            }
            for (const auto& id : acknowledged)
                CPPUNIT_ASSERT_MESSAGE("round " + std::to_string(round) + " lost " + id,
                                       onDisk.count(id) == 1);
            const std::string inFlight = prefix + "-" + std::to_string(ids.size());
            for (const auto& [id, secret] : onDisk) {
                const bool known =
                    acknowledged.count(id) == 1 || unacknowledgedButWritten.count(id) == 1;
                CPPUNIT_ASSERT_MESSAGE("unexpected " + id, known || id == inFlight);
            }
            if (onDisk.count(inFlight)) unacknowledgedButWritten.insert(inFlight);
            size_t leftovers = 0;  // a temporary file left behind means the kill landed mid-write
            for (const auto& name : h.directoryEntries())
                leftovers += name.find(".tmp-") != std::string::npos;
            roundsKilledMidWrite += leftovers > 0;
            std::cout << "\n  [round " << round << ": " << ids.size() << " adds acknowledged, "
                      << onDisk.size() << " entries on disk"
                      << (leftovers ? ", killed mid-write" : "") << "]" << std::flush;
        }
        CPPUNIT_ASSERT(acknowledged.size() >= size_t(kRounds));
        std::cout << "\n  [" << roundsKilledMidWrite << " of " << kRounds
                  << " kills left a temporary file]" << std::flush;

        // The plugin loads the result, and a writable store clears what killed writers left behind.
        auto store = h.open();
        CPPUNIT_ASSERT_EQUAL(h.parseFile().size(), FilePluginHarness::listAll(*store).size());
        for (const auto& name : h.directoryEntries())
            CPPUNIT_ASSERT_MESSAGE(
                name, name == "clients-auth.json" || name == ".clients-auth.json.lock");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashRecoveryTest);
