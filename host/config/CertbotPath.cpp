#include "config/CertbotPath.h"

#include <sys/stat.h>

#include <cerrno>

#include <vector>

namespace rportd::config {

std::optional<CertbotLineagePath> certbotLineageOfPath(std::string_view certPath) {
    if (certPath.empty()) return std::nullopt;
    std::vector<std::string_view> parts;
    for (size_t start = 0; start <= certPath.size();) {
        const size_t slash = certPath.find('/', start);
        const size_t end = slash == std::string_view::npos ? certPath.size() : slash;
        const std::string_view part = certPath.substr(start, end - start);
        if (!part.empty() && part != ".") parts.push_back(part);
        start = end + 1;
    }
    if (parts.size() < 3) return std::nullopt;
    const std::string_view name = parts[parts.size() - 2];
    const std::string_view file = parts.back();
    if (parts[parts.size() - 3] != "live" || name == ".." || file == "..") return std::nullopt;

    std::string dir = certPath.front() == '/' ? "/" : "";
    for (size_t i = 0; i + 3 < parts.size(); ++i) {
        if (!dir.empty() && dir.back() != '/') dir += '/';
        dir.append(parts[i]);
    }
    if (dir.empty()) dir = ".";
    CertbotLineagePath result{dir, std::string(name), ""};
    result.renewalConf = (dir == "/" ? std::string() : dir) + "/renewal/" + result.name + ".conf";
    return result;
}

std::optional<CertbotLineagePath> certbotLineageOf(std::string_view certPath,
                                                   const std::function<bool(const std::string&)>& isFile) {
    auto lineage = certbotLineageOfPath(certPath);
    if (!lineage || !isFile(lineage->renewalConf)) return std::nullopt;
    return lineage;
}

std::optional<CertbotLineagePath> certbotLineageOnDisk(std::string_view certPath) {
    return certbotLineageOf(certPath, [](const std::string& path) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0) return S_ISREG(st.st_mode);
        // certbot makes renewal/ 0700: a non-root rportd cannot see inside.
        // It is still certbot's lineage; the certbot provider then says
        // that it cannot read the renewal settings instead of staying silent.
        return errno == EACCES;
    });
}

}  // namespace rportd::config
