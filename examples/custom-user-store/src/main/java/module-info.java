/**
 * The plug-in as a module. On the class path (java -cp ankisyncd.jar:plugin.jar, as the
 * README runs it) the ServiceLoader finds it through META-INF/services; on a module
 * path, through the provides clause below. Both name the same class.
 */
module org.ankisync.examples.customstore {
    requires org.ankisync.auth;

    provides org.ankisync.auth.UserStoreProvider with
            org.ankisync.examples.customstore.PropertiesUserStoreProvider;
}
