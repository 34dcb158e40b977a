package loyaltytest_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/loyalty-go/loyalty/"

// Every type alias in package loyaltytest must name a type declared, as a
// documented struct (or other non-alias type) with its exported fields, in a
// package go doc and pkg.go.dev show: never one under internal/, whose
// fields and methods they hide.
func TestAliasesNameDocumentedPublicTypes(t *testing.T) {
	fset := token.NewFileSet()
	files := parseDir(t, fset, ".")
	pkgs := map[string]*doc.Package{} // by directory
	aliases := 0
	for _, f := range files {
		imports := map[string]string{} // local name → import path
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := path.Base(p)
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[name] = p
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if !ts.Assign.IsValid() {
					continue
				}
				sel, ok := ts.Type.(*ast.SelectorExpr)
				if !ok {
					continue
				}
				aliases++
				imp := imports[sel.X.(*ast.Ident).Name]
				if strings.Contains(imp, "/internal/") || strings.HasSuffix(imp, "/internal") {
					t.Errorf("%s aliases %s.%s from %s: go doc cannot show it", ts.Name.Name, path.Base(imp), sel.Sel.Name, imp)
					continue
				}
				if !strings.HasPrefix(imp, modulePath) {
					continue // a standard-library or third-party type
				}
				dir := filepath.Join("..", filepath.FromSlash(strings.TrimPrefix(imp, modulePath)))
				dp := pkgs[dir]
				if dp == nil {
					dp = docPackage(t, dir)
					pkgs[dir] = dp
				}
				checkDocumentedType(t, ts.Name.Name, dp, sel.Sel.Name)
			}
		}
	}
	if aliases == 0 {
		t.Fatal("found no type aliases in package loyaltytest: the test no longer looks where they are")
	}
}

// checkDocumentedType fails unless dp declares name as a documented type
// that is not itself an alias and, when it is a struct, shows an exported
// field or method.
func checkDocumentedType(t *testing.T, alias string, dp *doc.Package, name string) {
	t.Helper()
	for _, typ := range dp.Types {
		if typ.Name != name {
			continue
		}
		if strings.TrimSpace(typ.Doc) == "" {
			t.Errorf("%s: %s.%s has no doc comment", alias, dp.Name, name)
		}
		ts := typ.Decl.Specs[0].(*ast.TypeSpec)
		if ts.Assign.IsValid() {
			t.Errorf("%s: %s.%s is itself an alias", alias, dp.Name, name)
		}
		if st, ok := ts.Type.(*ast.StructType); ok {
			exported := 0
			for _, f := range st.Fields.List {
				for _, n := range f.Names {
					if n.IsExported() {
						exported++
					}
				}
			}
			if exported == 0 && len(typ.Methods) == 0 {
				t.Errorf("%s: %s.%s shows no exported field or method", alias, dp.Name, name)
			}
		}
		return
	}
	t.Errorf("%s: package %s declares no type %s", alias, dp.Name, name)
}

// What a newcomer types: go doc -all on a fake package prints the seeding
// types with their fields and the seeding methods.
func TestGoDocShowsSeedingTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goTool, "doc", "-all", "./yotpofake").CombinedOutput()
	if err != nil {
		t.Fatalf("go doc -all ./yotpofake: %v\n%s", err, out)
	}
	for _, want := range []string{
		"type Campaign struct {",
		"\tRewardPoints ",
		"type RedemptionOption struct {",
		"type VIPTier struct {",
		"func (f *Fake) AddCampaign(c Campaign) Campaign",
		"func (f *Fake) Customers() []CustomerState",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go doc -all ./yotpofake lacks %q; got:\n%s", want, out)
		}
	}
}

func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

func docPackage(t *testing.T, dir string) *doc.Package {
	t.Helper()
	fset := token.NewFileSet()
	files := parseDir(t, fset, dir)
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	p, err := doc.NewFromFiles(fset, files, "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
