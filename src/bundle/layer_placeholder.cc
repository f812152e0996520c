// Placeholder so the bundle layer library exists before its first module lands.
namespace mlppp {}
