#include "plugin_host/DescriptorValidator.h"

#include <cstddef>
#include <cstring>
#include <rport/types.hpp>
#include <set>
#include <utility>

namespace rportd::plugin_host {

namespace {

// Where member m of type ends: a struct_size below this lacks m.
#define RPORTD_END_OF(type, m) (offsetof(type, m) + sizeof(((type*)0)->m))

// Everything up to backend_count has existed since 1.0, so no v1 plugin may
// be shorter; likewise for a backend entry up to its vtable.
constexpr size_t kMinDescriptorSize = RPORTD_END_OF(rport_plugin_v1, backend_count);
constexpr size_t kMinBackendSize = RPORTD_END_OF(rport_backend_v1, vtable);

constexpr size_t kMaxVersionLength = 64;

bool isNameChar(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// The version is shown, never parsed: any printable ASCII will do.
bool isValidVersion(const char* version) noexcept {
    const size_t n = ::strnlen(version, kMaxVersionLength + 1);
    if (n > kMaxVersionLength) return false;
    for (size_t i = 0; i < n; ++i)
        if (version[i] < 0x20 || version[i] > 0x7e) return false;
    return true;
}

bool isKnownKind(const std::string& kind) noexcept {
    return kind == RPORT_KIND_CLIENT_AUTH || kind == RPORT_KIND_API_AUTH ||
           kind == RPORT_KIND_CERT_PROVIDER;
}

// The name of the first required slot the vtable lacks, or nullptr. Reads
// only what the vtable's struct_size says is there (RPORT_HAS), so a vtable
// from an older SDK minor is judged by the slots it has.
const char* missingRequiredSlot(const std::string& kind, const void* vtable) noexcept {
    if (kind == RPORT_KIND_CERT_PROVIDER) {
        const auto* vt = static_cast<const rport_cert_v1*>(vtable);
        if (!RPORT_HAS(vt, rport_cert_v1, create)) return "create";
        if (!RPORT_HAS(vt, rport_cert_v1, destroy)) return "destroy";
        if (!RPORT_HAS(vt, rport_cert_v1, current)) return "current";
        return nullptr;
    }
    const auto* vt = static_cast<const rport_auth_v1*>(vtable);
    if (!RPORT_HAS(vt, rport_auth_v1, create)) return "create";
    if (!RPORT_HAS(vt, rport_auth_v1, destroy)) return "destroy";
    if (!RPORT_HAS(vt, rport_auth_v1, get)) return "get";
    return nullptr;
}

// Checks one backend entry. Returns a refusal for the whole plugin, or empty;
// appends to out.backends or out.skipped.
std::string checkBackend(const rport_backend_v1& b, size_t index,
                         std::set<std::pair<std::string, std::string>>& seen,
                         ValidatedDescriptor& out) {
    const std::string position = "#" + std::to_string(index + 1);
    if (!isValidName(b.kind)) return "backend " + position + " has no valid kind";
    const std::string kind = b.kind;
    if (!isValidName(b.name)) return "backend " + kind + "/" + position + " has no valid name";
    const std::string label = kind + "/" + b.name;

    if (!isKnownKind(kind)) {
        out.skipped.push_back("backend " + label + " skipped: unknown kind");
        return {};
    }
    if (b.vtable_version != 1) {
        out.skipped.push_back("backend " + label + " skipped: vtable version " +
                              std::to_string(b.vtable_version) + ", this rportd speaks 1");
        return {};
    }
    if (!b.vtable) return "backend " + label + " has no vtable";
    const uint32_t vtableSize =
        *static_cast<const uint32_t*>(b.vtable);  // struct_size leads every vtable
    if (vtableSize > kMaxPluginStructSize)
        return "backend " + label + " vtable struct_size " + std::to_string(vtableSize) +
               " is not plausible";
    if (const char* slot = missingRequiredSlot(kind, b.vtable))
        return "backend " + label + " lacks required slot " + slot;
    if (!seen.emplace(kind, b.name).second) return "backend " + label + " declared twice";

    out.backends.push_back(BackendEntry{kind, b.name, b.flags, b.vtable});
    return {};
}

}  // namespace

bool isValidName(const char* name) noexcept {
    if (!name) return false;
    const size_t n = ::strnlen(name, kMaxNameLength + 1);
    if (n == 0 || n > kMaxNameLength) return false;
    for (size_t i = 0; i < n; ++i)
        if (!isNameChar(name[i])) return false;
    return true;
}

DescriptorVerdict validateDescriptor(const rport_plugin_v1* d) {
    DescriptorVerdict verdict;
    auto refuse = [&](std::string reason) {
        verdict.refusal = std::move(reason);
        verdict.descriptor = ValidatedDescriptor{};
        return verdict;
    };

    if (!d) return refuse("entry returned no descriptor");
    // The major decides how to read the rest, so look at it before anything
    // else: a v2 descriptor may be shaped in ways we cannot judge.
    if (!RPORT_HAS_MEMBER(d, rport_plugin_v1, abi_major))
        return refuse("descriptor struct_size " + std::to_string(d->struct_size) +
                      " is not plausible");
    if (d->abi_major != RPORT_ABI_MAJOR)
        return refuse("built for ABI major " + std::to_string(d->abi_major) +
                      ", this rportd speaks " + std::to_string(RPORT_ABI_MAJOR));
    if (d->struct_size < kMinDescriptorSize || d->struct_size > kMaxPluginStructSize)
        return refuse("descriptor struct_size " + std::to_string(d->struct_size) +
                      " is not plausible");
    if (!isValidName(d->name)) return refuse("descriptor has no valid plugin name");
    if (d->version && !isValidVersion(d->version))
        return refuse("descriptor version is not printable text");

    ValidatedDescriptor& out = verdict.descriptor;
    out.name = d->name;
    out.version = d->version ? d->version : "";
    out.abiMinor = d->abi_minor;

    if (d->backend_count > kMaxBackendsPerPlugin)
        return refuse("declares " + std::to_string(d->backend_count) + " backends, more than " +
                      std::to_string(kMaxBackendsPerPlugin));
    if (d->backend_count == 0) return verdict;
    if (!d->backends)
        return refuse("declares " + std::to_string(d->backend_count) +
                      " backends but no backend array");

    // The first entry's struct_size is the array's stride (plugin.h); every
    // entry must agree with it, or the array cannot be walked at all.
    const uint32_t stride = d->backends[0].struct_size;
    if (stride < kMinBackendSize || stride > kMaxPluginStructSize)
        return refuse("backend struct_size " + std::to_string(stride) + " is not plausible");
    std::set<std::pair<std::string, std::string>> seen;
    for (size_t i = 0; i < d->backend_count; ++i) {
        const rport_backend_v1& b = rport::sdk::detail::element(d->backends, i);
        if (b.struct_size != stride)
            return refuse("backend #" + std::to_string(i + 1) + " has struct_size " +
                          std::to_string(b.struct_size) + ", the first has " +
                          std::to_string(stride));
        std::string refusal = checkBackend(b, i, seen, out);
        if (!refusal.empty()) return refuse(std::move(refusal));
    }
    return verdict;
}

}  // namespace rportd::plugin_host
