// A single-node Elasticsearch 7.17 started from Maven Central jars (no distribution, no Docker):
// a Node subclass that accepts the plugin classes found on the classpath, which the stock Node
// only loads from a plugins/ folder. Started by scripts/elasticsearch.sh; settings come from
// system properties (-Desnode.port=19200 -Desnode.home=.services/elasticsearch).
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;

public class LitmineElasticsearchNode {
  static class PluginNode extends Node {
    PluginNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
      super(InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, () -> "litmine-es"), plugins, true);
    }
  }

  @SuppressWarnings("unchecked")
  static void addPlugin(List<Class<? extends Plugin>> plugins, String className) {
    try {
      plugins.add((Class<? extends Plugin>) Class.forName(className));
    } catch (ClassNotFoundException e) {
      System.err.println("[litmine-es] plugin not on the classpath, skipped: " + className);
    }
  }

  public static void main(String[] args) throws Exception {
    Path home = Paths.get(System.getProperty("esnode.home", ".services/elasticsearch")).toAbsolutePath();
    String port = System.getProperty("esnode.port", "19200");
    String transportPort = System.getProperty("esnode.transport.port", "19300");
    Files.createDirectories(home.resolve("data"));
    Files.createDirectories(home.resolve("logs"));
    Settings.Builder settings = Settings.builder()
        .put("cluster.name", "litmine")
        .put("node.name", "litmine-es-1")
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("network.host", "127.0.0.1")
        .put("http.port", port)
        .put("transport.port", transportPort)
        .put("discovery.type", "single-node")
        .put("action.auto_create_index", "true")
        // Disk thresholds off: a busy development disk must not turn indices read-only.
        .put("cluster.routing.allocation.disk.threshold_enabled", "false");
    // Extra node settings, e.g. -Desnode.setting.thread_pool.write.queue_size=5.
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("esnode.setting.")) settings.put(name.substring("esnode.setting.".length()), System.getProperty(name));
    }
    List<Class<? extends Plugin>> plugins = new ArrayList<>();
    addPlugin(plugins, "org.elasticsearch.transport.Netty4Plugin");
    addPlugin(plugins, "org.elasticsearch.index.mapper.MapperExtrasPlugin");
    addPlugin(plugins, "org.elasticsearch.reindex.ReindexPlugin");
    addPlugin(plugins, "org.elasticsearch.join.ParentJoinPlugin");
    addPlugin(plugins, "org.elasticsearch.analysis.common.CommonAnalysisPlugin");
    addPlugin(plugins, "org.elasticsearch.painless.PainlessPlugin");

    Node node = new PluginNode(settings.build(), plugins);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        System.err.println("[litmine-es] close failed: " + e);
      }
      stopped.countDown();
    }));
    node.start();
    System.out.println("[litmine-es] started on 127.0.0.1:" + port);
    stopped.await();
  }
}
