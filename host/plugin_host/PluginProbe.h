#pragma once
// Examines plugin files in a child process: each is checked, mapped and its
// entry called there, and only what its descriptor says comes back.
//
// Two reasons for the detour. rportd maps only the plugins a configured role
// selects: most plugin images (and the libraries they pull in, such as Poco
// Data and libmariadb) can never be unmapped once mapped, since glibc pins any
// object with unique C++ symbols, so memory would pay for every plugin in the
// directory. And a plugin whose entry crashes, calls exit() or never returns
// costs one refusal line instead of the server.
#include <rport/plugin.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "plugin_host/BackendEntry.h"

namespace rportd::plugin_host {

// What one examination found: a refusal, or the descriptor without its code
// (BackendEntry::vtable is null: nothing of the child's image comes back).
struct ProbeVerdict {
    std::string file;
    std::string refusal;  // empty when the plugin was accepted
    std::string name;
    std::string version;
    uint32_t abiMinor = 0;
    std::vector<BackendEntry> backends;
    std::vector<std::string> skipped;  // backends left out of an accepted plugin

    bool accepted() const noexcept { return refusal.empty(); }
};

struct ProbeLimits {
    // How long one file's examination may take before it is refused as hung.
    std::chrono::milliseconds perFile{5000};
};

// One verdict per file, in order. host is the table handed to each entry;
// what an entry logs comes back and is logged here through host->log, under
// the file's stem, at most 64 lines per file. Never throws for a bad plugin;
// a child that dies or hangs costs only the file it was examining, and the
// rest are examined in a fresh child.
//
// The child is forked without exec, so call this while no other thread can be
// inside the dynamic loader (rportd does at start, before its listeners and
// workers exist): a child forked at such a moment would wait for that lock
// forever, and the file it was on would be refused as hung.
std::vector<ProbeVerdict> probePlugins(const std::vector<std::string>& files,
                                       const rport_host_v1* host, ProbeLimits limits = {});

}  // namespace rportd::plugin_host
