"""Reference passages: ordinary technical sentences from unrelated fields, in English and Chinese.

A feature's e5 cosine to the passages of the language a passage is written in (the mean of its best :data:`TOP`) is its baseline: how close it
comes to text that does *not* disclose it. e5 cosines sit in a narrow band whose level depends on
the language pair and on the feature (a French feature is "closer" to any English text than a
German one), so support is read as the cosine *above* that baseline. The list is part of the
fitted model: changing it needs ``ipai eval patentability --calibrate``.
"""

from __future__ import annotations

TOP = 16
EN = (
    "a housing having a front wall and a rear wall connected by side walls",
    "a controller configured to receive a signal from the sensor and to output a control command",
    "mixing the first component with a solvent at a temperature between 20 and 80 degrees",
    "a composition comprising an active ingredient and a pharmaceutically acceptable carrier",
    "a shaft rotatably supported by a bearing and driven by an electric motor",
    "storing the received data in a memory and transmitting it over a wireless network",
    "a layer of polymer material deposited on the surface of the substrate",
    "a valve arranged in the supply line for regulating the flow of the fluid",
    "the user interface displays a list of items selected by the user",
    "a frame with wheels and a handle for pushing the cart",
    "heating the mixture to obtain a powder which is then pressed into tablets",
    "a light source emitting light toward a lens that focuses it onto a detector",
    "a battery pack supplying power to the circuit board through a connector",
    "a fastening element inserted through an opening of the plate and secured with a nut",
    "the method further comprises calculating an average value of the measured samples",
    "a container having a lid that is hinged to the body of the container",
)
ZH = (
    "壳体具有前壁和后壁，前壁和后壁通过侧壁连接",
    "控制器用于接收传感器的信号并输出控制指令",
    "在20至80摄氏度的温度下将第一组分与溶剂混合",
    "一种组合物，包含活性成分和药学上可接受的载体",
    "转轴由轴承可转动地支撑并由电机驱动",
    "将接收的数据存储在存储器中并通过无线网络发送",
    "在基板表面沉积一层聚合物材料",
    "供给管路中设置有用于调节流体流量的阀门",
    "用户界面显示用户选择的项目列表",
    "车架设有车轮和用于推动小车的把手",
    "将混合物加热得到粉末，然后压制成片剂",
    "光源向透镜发光，透镜将光聚焦到探测器上",
    "电池组通过连接器向电路板供电",
    "紧固件穿过板上的开口并用螺母固定",
    "所述方法还包括计算测量样本的平均值",
    "容器的盖子通过铰链与容器本体连接",
)
DE = (
    "ein Gehäuse mit einer Vorderwand und einer Rückwand, die durch Seitenwände verbunden sind",
    "eine Steuerung, die ein Signal vom Sensor empfängt und einen Steuerbefehl ausgibt",
    "Mischen der ersten Komponente mit einem Lösungsmittel bei einer Temperatur zwischen 20 und 80 Grad",
    "eine Zusammensetzung mit einem Wirkstoff und einem pharmazeutisch verträglichen Träger",
    "eine Welle, die drehbar in einem Lager gelagert ist und von einem Elektromotor angetrieben wird",
    "Speichern der empfangenen Daten in einem Speicher und Übertragen über ein drahtloses Netzwerk",
    "eine Schicht aus Polymermaterial, die auf der Oberfläche des Substrats abgeschieden ist",
    "ein Ventil in der Zuleitung zum Regeln des Durchflusses des Fluids",
    "die Benutzeroberfläche zeigt eine Liste der vom Benutzer ausgewählten Elemente an",
    "ein Rahmen mit Rädern und einem Griff zum Schieben des Wagens",
    "Erhitzen der Mischung zu einem Pulver, das anschließend zu Tabletten gepresst wird",
    "eine Lichtquelle, die Licht auf eine Linse richtet, die es auf einen Detektor bündelt",
    "ein Akkupack, der die Leiterplatte über einen Steckverbinder mit Strom versorgt",
    "ein Befestigungselement, das durch eine Öffnung der Platte gesteckt und mit einer Mutter gesichert wird",
    "das Verfahren umfasst ferner das Berechnen eines Mittelwerts der gemessenen Proben",
    "ein Behälter mit einem Deckel, der über ein Scharnier mit dem Behälterkörper verbunden ist",
)
FR = (
    "un boîtier comportant une paroi avant et une paroi arrière reliées par des parois latérales",
    "un contrôleur configuré pour recevoir un signal du capteur et émettre une commande",
    "mélanger le premier composant avec un solvant à une température comprise entre 20 et 80 degrés",
    "une composition comprenant un principe actif et un support pharmaceutiquement acceptable",
    "un arbre monté à rotation dans un palier et entraîné par un moteur électrique",
    "stocker les données reçues dans une mémoire et les transmettre par un réseau sans fil",
    "une couche de matériau polymère déposée sur la surface du substrat",
    "une vanne disposée dans la conduite d'alimentation pour régler le débit du fluide",
    "l'interface utilisateur affiche une liste des éléments sélectionnés par l'utilisateur",
    "un châssis muni de roues et d'une poignée pour pousser le chariot",
    "chauffer le mélange pour obtenir une poudre qui est ensuite comprimée en comprimés",
    "une source lumineuse émettant de la lumière vers une lentille qui la focalise sur un détecteur",
    "un bloc de batteries alimentant la carte de circuit par un connecteur",
    "un élément de fixation inséré à travers une ouverture de la plaque et bloqué par un écrou",
    "le procédé comprend en outre le calcul d'une valeur moyenne des échantillons mesurés",
    "un récipient dont le couvercle est articulé sur le corps du récipient",
)
BY_LANG = {"en": EN, "zh": ZH, "de": DE, "fr": FR}


def references(lang: str) -> tuple[str, ...]:
    """The reference passages for passages in ``lang`` (English for a language without its own)."""
    return BY_LANG.get(lang, EN)
