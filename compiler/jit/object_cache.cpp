#include "jit/object_cache.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <llvm/Support/SHA256.h>

namespace ranvier::jit {

namespace {
constexpr std::size_t kHeaderSize = 512;  // keeps the object 64-byte aligned in the mapping
constexpr std::string_view kMagic = "RANVIER-OBJECT 1\n";

std::string header(const std::string &key, const std::string &mechanism, std::string_view object) {
  std::string h = fmt::format("{}key {}\nmechanism {}\nsize {}\nsha256 {}\n", kMagic, key, mechanism, object.size(),
                              sha256Hex(object));
  h.resize(kHeaderSize, '\n');
  return h;
}

// "name value" lines of a header.
std::string field(std::string_view text, std::string_view name) {
  const std::string prefix = std::string(name) + " ";
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (line.substr(0, prefix.size()) == prefix) return std::string(line.substr(prefix.size()));
    at = end + 1;
  }
  return {};
}
}  // namespace

std::string sha256Hex(std::string_view data) {
  auto digest = llvm::SHA256::hash(llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t *>(data.data()), data.size()));
  std::string hex;
  for (std::uint8_t byte : digest) hex += fmt::format("{:02x}", byte);
  return hex;
}

std::filesystem::path ObjectCache::defaultDirectory() {
  if (const char *dir = std::getenv("RANVIER_CACHE_DIR")) return dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') return std::filesystem::path(xdg) / "ranvier";
  if (const char *home = std::getenv("HOME"); home != nullptr && *home != '\0') return std::filesystem::path(home) / ".cache" / "ranvier";
  return {};
}

ObjectCache::ObjectCache(std::filesystem::path directory) : directory_(std::move(directory)) {}

std::filesystem::path ObjectCache::pathOf(const std::string &key) const { return directory_ / (key + ".rvo"); }

ObjectCache::Lookup ObjectCache::find(const std::string &key, Entry &entry) const {
  if (!enabled()) return Lookup::Miss;
  const std::filesystem::path path = pathOf(key);
  auto file = llvm::MemoryBuffer::getFile(path.string(), /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!file) return Lookup::Miss;
  std::string_view bytes((*file)->getBufferStart(), (*file)->getBufferSize());
  auto damaged = [&] {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return Lookup::Damaged;
  };
  if (bytes.size() < kHeaderSize || bytes.substr(0, kMagic.size()) != kMagic) return damaged();
  const std::string_view head = bytes.substr(0, kHeaderSize);
  const std::string_view object = bytes.substr(kHeaderSize);
  if (field(head, "key") != key || field(head, "size") != std::to_string(object.size()) ||
      field(head, "sha256") != sha256Hex(object) || field(head, "mechanism").empty()) {
    return damaged();
  }
  entry.mechanism = field(head, "mechanism");
  entry.object = object;
  entry.file = std::move(*file);
  return Lookup::Hit;
}

bool ObjectCache::store(const std::string &key, const std::string &mechanism, std::string_view object,
                        std::string &error) const {
  if (!enabled()) return true;
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) {
    error = fmt::format("cannot create the cache directory {}: {}", directory_.string(), ec.message());
    return false;
  }
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path temporary =
      directory_ / fmt::format(".{}.{}.{}.{}.tmp", key, ::getpid(), counter++, std::random_device{}());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const std::string head = header(key, mechanism, object);
    out.write(head.data(), static_cast<std::streamsize>(head.size()));
    out.write(object.data(), static_cast<std::streamsize>(object.size()));
    out.flush();
    if (!out) {
      std::filesystem::remove(temporary, ec);
      error = fmt::format("cannot write the cache entry {}", temporary.string());
      return false;
    }
  }
  // rename() replaces atomically: readers see the old entry or the new, never a part.
  std::filesystem::rename(temporary, pathOf(key), ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    error = fmt::format("cannot move the cache entry into {}: {}", directory_.string(), ec.message());
    return false;
  }
  return true;
}

}  // namespace ranvier::jit
