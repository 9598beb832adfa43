package dev.lancemerge.tests.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds job jars out of compiled test classes, so that a test ships its own job to a real cluster. */
public final class TestJars {

    private TestJars() {}

    /**
     * Writes {@code jar} holding every class of {@code mainClass}'s package (not its subpackages), read from the
     * directory the class was compiled to, with {@code Main-Class: mainClass} in the manifest. Returns {@code jar}.
     */
    public static Path packageOf(Class<?> mainClass, Path jar) throws IOException {
        Path classesRoot;
        try {
            classesRoot = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if (!Files.isDirectory(classesRoot)) {
            throw new IOException(mainClass + " is not loaded from a class directory but from " + classesRoot);
        }
        String packagePath = mainClass.getPackageName().replace('.', '/');
        Path packageDir = classesRoot.resolve(packagePath);
        List<Path> classes;
        try (Stream<Path> files = Files.list(packageDir)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).sorted().collect(Collectors.toList());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            String dir = "";
            for (String part : packagePath.split("/")) {
                dir += part + "/";
                jarOut.putNextEntry(new JarEntry(dir));
                jarOut.closeEntry();
            }
            for (Path c : classes) {
                jarOut.putNextEntry(new JarEntry(packagePath + "/" + c.getFileName()));
                Files.copy(c, jarOut);
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
